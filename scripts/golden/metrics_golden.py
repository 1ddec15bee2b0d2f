#!/usr/bin/python3
"""Golden values for server/metrics: NLTK 3.8 sentence BLEU, word level and character level.

Run: /usr/bin/python3 scripts/golden/metrics_golden.py  (writes server/metrics/__fixtures__/golden.json)

word level = sentence_bleu([reference.split()], hypothesis.split())
char level = sentence_bleu([reference], hypothesis)   # raw strings: what the CollabLLM code computes
Default weights (0.25, 0.25, 0.25, 0.25), no smoothing.
"""
import json
import os
import random
import sys
import warnings

import nltk
from nltk.translate.bleu_score import sentence_bleu

warnings.simplefilter("ignore")  # NLTK warns on every zero-count n-gram order; that case is intended here

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "server", "metrics", "__fixtures__", "golden.json")

rnd = random.Random(20261127)
VOCAB = ("the a of to and in that it is was for on with as at by this be from or an are have not but "
         "writing story draft blog post personal statement reader voice tone paragraph idea example "
         "garden city river morning coffee travel music memory family career science future change "
         "clear simple honest brief vivid quiet bright small large early late often never always").split()


def essay(n_words):
    words = [rnd.choice(VOCAB) for _ in range(n_words)]
    # Sentences and paragraphs so the character-level n-grams see punctuation and newlines too.
    out, i = [], 0
    while i < len(words):
        k = rnd.randint(6, 16)
        sentence = " ".join(words[i:i + k])
        out.append(sentence[:1].upper() + sentence[1:] + ".")
        i += k
    text = ""
    for j, s in enumerate(out):
        text += s + ("\n\n" if j % 5 == 4 else " ")
    return text.strip()


def edit(text, rate):
    words = text.split(" ")
    out = []
    for w in words:
        r = rnd.random()
        if r < rate / 3:
            continue  # deletion
        if r < 2 * rate / 3:
            out.append(rnd.choice(VOCAB))  # substitution
            continue
        out.append(w)
        if r < rate:
            out.append(rnd.choice(VOCAB))  # insertion
    return " ".join(out)


long_ref = essay(450)
long_ref2 = essay(700)
cases = [
    ("identical sentence", "the cat sat on the mat", "the cat sat on the mat"),
    ("partial overlap", "the cat sat on the mat", "the cat sat on a rug"),
    ("no 4-gram overlap (word)", "the cat sat on the mat", "the cat is on the mat"),
    ("no unigram overlap", "alpha beta gamma delta", "one two three four"),
    ("short hypothesis (brevity)", "the quick brown fox jumps over the lazy dog", "the quick brown fox"),
    ("longer hypothesis (no brevity penalty)", "the quick brown fox", "the quick brown fox jumps over the lazy dog"),
    ("same length different order", "a b c d e f g h", "e f g h a b c d"),
    ("repeated n-grams are clipped", "the the the cat", "the the the the the the"),
    ("hypothesis shorter than 4 words", "a great day to write", "great day"),
    ("empty hypothesis", "something to write about", ""),
    ("whitespace-only hypothesis", "something to write about", "  \n\t "),
    ("empty reference", "", "a few words here"),
    ("both empty", "", ""),
    ("punctuation attached to words", "Hello, world! How are you today?", "Hello world! How are you today ?"),
    ("multiple spaces and newlines", "one  two\nthree\tfour five six", "one two three four five six"),
    ("unicode accents", "Café au lait près de la fenêtre, déjà vu.", "Cafe au lait près de la fenêtre, deja vu."),
    ("unicode CJK", "我喜欢在早上写博客文章，然后喝咖啡。", "我喜欢在晚上写博客文章，然后喝茶。"),
    ("unicode emoji (astral code points)", "Launch day 🚀🚀 is here 🎉 for everyone", "Launch day 🚀 is here 🎉🎉 for all"),
    ("combining characters", "cafe\u0301 na\u0308ive resume\u0301", "café naïve résumé"),
    ("python whitespace: nbsp, ideographic space, \\x1c", "alpha\u00a0beta\u3000gamma\x1cdelta epsilon zeta",
     "alpha beta gamma delta epsilon zeta"),
    ("BOM and zero-width space are not whitespace", "alpha\ufeffbeta gamma\u200bdelta epsilon zeta",
     "alpha beta gamma delta epsilon zeta"),
    ("single character strings", "a", "a"),
    ("three characters", "abc", "abd"),
    ("long document, light edits", long_ref, edit(long_ref, 0.08)),
    ("long document, heavy edits", long_ref, edit(long_ref, 0.45)),
    ("long document vs truncated half", long_ref2, long_ref2[: len(long_ref2) // 2]),
    ("long document vs unrelated document", long_ref, essay(300)),
    ("long document identical", long_ref2, long_ref2),
]
for i in range(12):
    ref = essay(rnd.randint(20, 120))
    cases.append((f"random essay pair {i}", ref, edit(ref, rnd.uniform(0.05, 0.9))))

records = []
for name, ref, hyp in cases:
    word = sentence_bleu([ref.split()], hyp.split())
    char = sentence_bleu([ref], hyp)
    records.append({"name": name, "reference": ref, "hypothesis": hyp, "word": float(word), "char": float(char)})

data = {
    "generator": {"script": "scripts/golden/metrics_golden.py", "python": sys.version.split()[0], "nltk": nltk.__version__},
    "bleu": records,
}
with open(OUT, "w") as f:
    json.dump(data, f, indent=1, ensure_ascii=False, allow_nan=False)
    f.write("\n")
print(f"wrote {os.path.normpath(OUT)}: {len(records)} BLEU cases")
