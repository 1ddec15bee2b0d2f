/** Built-in creative-writing tasks, written for CollabStudy. */
import type { BuiltinTaskSource } from './types';

export const creativeWritingTasks: BuiltinTaskSource[] = [
  {
    key: 'story-lighthouse-keeper',
    documentType: 'creative_writing',
    topic: 'The last lighthouse keeper',
    goal: 'You want a short story about a lighthouse keeper.',
    details: [
      'She is the last keeper before the lighthouse becomes automatic.',
      'Her name is Maren and she has kept the light for 31 years.',
      'On her final night a fishing boat is in trouble in the fog.',
      'The new automatic light fails and she lights the old lamp by hand.',
      'Quiet, bittersweet ending, third person, past tense.',
    ],
    target: `The Last Night on Skerry Point

Maren had kept the light on Skerry Point for thirty-one years, and tomorrow a man from the lighthouse board would come with a clipboard and a key to lock the door behind her. The new lamp had been installed in the spring: a squat white box of diodes that switched itself on at dusk and reported its health to an office on the mainland. It did not need her. Everyone had been very kind about that.

She spent the last evening the way she had spent most of them. She wound the old clock, wiped the salt from the gallery windows and wrote the weather in the log: wind south-west, falling; fog thickening from the west.

At ten past nine the white box blinked twice and went dark.

Maren stood very still. Out in the fog, faint as a thought, she heard an engine, the uneven chug of a small boat working home too close to the rocks. The mainland would notice the fault in the morning. The boat would reach the Point in minutes.

The old lamp was still in the lantern room, its brass polished out of habit. She filled it, trimmed the wick and lit it with hands that knew the work better than she did. Then she cranked the shutters, the way she had done ten thousand nights, and the beam swung out across the water, yellow and slow and old-fashioned.

The engine note changed. It turned, steadied and moved away from the rocks toward the harbour.

In the morning the man from the board found her asleep in the chair by the lamp, the log open on her knee. Under the weather she had written one more line, in careful capitals: LIGHT KEPT.`,
  },
  {
    key: 'poem-city-rain',
    documentType: 'creative_writing',
    topic: 'A poem about rain in the city',
    goal: 'You want a poem about rain in a city.',
    details: [
      'Free verse, no rhyme, around 200 to 250 words.',
      'Set at dusk in a busy city, from the point of view of someone waiting at a bus stop.',
      'Include small concrete images: umbrellas, a delivery cyclist, neon reflected in puddles.',
      'It should end on a moment of warmth between strangers.',
    ],
    target: `Bus Stop, Dusk, Rain

The city takes the rain the way it takes everything,
without slowing down.
Umbrellas open like a field of black flowers
and walk away in different directions.

I stand under the shelter with six strangers
and a timetable nobody believes.
The glass roof drums. The gutter sings
a song with one long note.

A delivery cyclist goes past in a yellow cape,
spray rising from his wheels like a wake,
a stack of someone's dinner on his back,
his face set against the weather
as if the weather were a hill.

The neon from the pharmacy spills into a puddle
and trembles there, green cross, green cross,
a small sign of healing
that every passing tyre breaks and the water mends.

Somebody's phone lights up a tired face.
Somebody's shopping bag has split,
and three oranges roll toward the kerb,
bright as a lost joke.

We all move at once.
A man in a suit traps one with his shoe.
A schoolgirl catches another.
I find the third in the gutter, cold and shining,
and hand it back to a woman who laughs,
really laughs, for the first time
in what I guess has been a long day.

The bus arrives, late, with its windows fogged.
We climb aboard, strangers again,
but the oranges are in the bag,
and for a stop or two
the rain sounds almost like applause.`,
  },
  {
    key: 'story-robot-gardener',
    documentType: 'creative_writing',
    topic: 'A robot that tends a garden after people have left',
    goal: 'You want a short science-fiction story for children aged 9 to 12.',
    details: [
      'A small gardening robot keeps tending a community garden after the town has emptied.',
      'The robot is called Sprocket and talks to the plants.',
      'A family returns to the town at the end and finds the garden thriving.',
      'Hopeful, gentle, no violence; simple vocabulary.',
    ],
    target: `Sprocket and the Garden

When the people left the town of Millbrook, they forgot to switch off Sprocket.

Sprocket was a gardening robot about the size of a wheelbarrow, with three soft wheels, two long arms and a watering can built into its back. For years it had helped in the community garden behind the school. It pulled weeds, checked the soil and played music to the beans, because someone had once told it that beans liked music.

Then the river factory closed, the families packed their cars, and the streets went quiet. Nobody came to the garden anymore. But nobody had told Sprocket to stop, so it didn't.

Every morning it rolled out of its shed and said good morning to each plant by name. "Good morning, Tomatoes. Good morning, Sunflowers. Good morning, Mrs Potato." It watered the dry beds and covered the seedlings when frost was coming. When the rain barrel was empty, it filled its can at the river, which took all day and used most of its battery.

Sometimes it felt lonely, in the way a robot can. It told the sunflowers about the children who used to eat peas straight from the pods. The sunflowers listened, as sunflowers do, and grew taller.

Three summers passed. The garden grew over its fences and down the empty street.

One morning, Sprocket heard a car. A family stepped out: a mother, a father and a girl with a backpack. They had come to see whether Millbrook could be home again.

The girl walked through the gate and stopped. Pumpkins as big as armchairs. Sunflowers higher than the school roof. Beans climbing the lamp posts.

"Who did all this?" she whispered.

Sprocket rolled forward and lifted one arm. "Good morning," it said. "Would you like some peas?"`,
  },
  {
    key: 'story-grandmothers-recipe',
    documentType: 'creative_writing',
    topic: 'A recipe that carries a family memory',
    goal: 'You want a short piece of fiction about a family recipe.',
    details: [
      'First person, narrated by a young man cooking his late grandmother\'s dumpling recipe.',
      'The recipe card says "enough flour" instead of giving quantities.',
      'He calls his aunt, who also does not know the amounts.',
      'He finally gets it right by remembering how his grandmother\'s hands moved.',
      'Warm, sensory detail, about 300 words.',
    ],
    target: `Enough Flour

The card is stained with something that might be soy sauce and might be forty years of fingerprints. My grandmother's handwriting slants to the right as if it is in a hurry. Pork, cabbage, ginger, a little rice wine. And then, where any reasonable recipe would give a number: enough flour.

I have made the dough three times this afternoon. The first batch was so wet it clung to my fingers like a sulking child. The second cracked when I tried to roll it. The third is in the bin, and I do not want to talk about the third.

I call my aunt. She laughs for a long time before she says anything useful. "Enough flour," she says, "means enough flour. She never measured. Nobody measured. You just knew."

"I don't just know."

"Then remember," she says, and hangs up to go to her choir practice.

So I stand in my narrow kitchen with the window fogging up, and I try. I do not remember amounts. I remember her kitchen, which was warmer than mine and smelled of sesame oil. I remember that she added the flour with one hand and turned the dough with the other, never stopping, like someone rowing. I remember that she pressed it with her thumb and waited to see if it would spring back, slowly, the way a cheek does.

I close my eyes and let my hands move the way hers did. Flour, turn, flour, turn. I press with my thumb.

It springs back.

The dumplings are not as good as hers. They are lumpy at the edges and a few of them burst in the pan. But when I bite into the first one, the ginger and the steam arrive together, and for a moment the kitchen is warmer than it is.

Enough flour, it turns out, is the amount that brings someone back.`,
  },
  {
    key: 'story-time-loop-commuter',
    documentType: 'creative_writing',
    topic: 'A commuter stuck in a time loop',
    goal: 'You want a light, funny short story about someone stuck in a time loop on their commute.',
    details: [
      'The protagonist, Dev, relives the same Tuesday morning train journey.',
      'He tries several ways to break the loop, each failing comically.',
      'The loop ends when he finally talks to the woman who always drops her coffee.',
      'Present tense, playful tone, around 300 words.',
    ],
    target: `The 7:42

It is Tuesday again. Dev knows because the man opposite him is eating a banana with a knife and fork, and nobody does that twice in one lifetime unless the lifetime is broken.

This is the forty-third Tuesday. Dev has counted.

On the first few loops, he panicked. On the next ten, he experimented. He got off at the wrong station. He took the bus. He stayed in bed, which turned out to make no difference at all: at 7:42 he blinked and was back in seat 14C with the banana man and a faint smell of wet umbrellas. On loop twenty-six, he tried telling the whole carriage about the time loop, which earned him a leaflet about mindfulness and a seat with more legroom.

He has learned things. He knows the train will stop for four minutes outside Hatfield because of a signal fault. He knows the toddler in 12A will throw a toy dinosaur at 7:51. He knows, and he has learned to dread, the moment at 7:58 when the woman in the green coat stands up as the train brakes and drops her coffee over her own shoes.

Every loop, he looks away. Every loop, she sighs, mops her shoes with a napkin and looks out of the window as if she has been expecting this for years.

On the forty-third Tuesday, at 7:57, Dev stands up first. He catches the cup as it tips. Coffee splashes his own hand instead, which hurts a surprising amount.

"Oh no," she says. "I'm so sorry. That happens every time."

Dev looks at her. She looks back, and something in her face is very, very tired.

"Tuesday?" he asks.

"Forty-third," she says.

The train pulls into the station. Outside, for the first time in a long while, it is Wednesday.`,
  },
  {
    key: 'story-letter-to-future-self',
    documentType: 'creative_writing',
    topic: 'A letter to one\'s future self',
    goal: 'You want a creative piece written as a letter from a teenager to themselves in twenty years.',
    details: [
      'The writer is 16 and about to move to a new country with their family.',
      'They are scared of losing their best friend, Tomás.',
      'The letter asks questions of the future self and makes a few promises.',
      'Honest and slightly funny, ends hopefully.',
    ],
    target: `Dear Thirty-Six-Year-Old Me,

I am writing this on the floor of my empty bedroom, because the bed went in the van this morning. Tomorrow we fly to a country where I know four words of the language, and two of them are "thank you". Mum says this letter is a good idea. Mum says a lot of things are good ideas this week.

I have questions for you.

Do you still talk to Tomás? Right now he is the person who knows everything about me, including the thing with the school play that we agreed never to speak of again. We promised to video-call every Sunday. I am scared that in a year it will be every month, and then birthdays, and then nothing. If that happened, I hope it happened gently. I hope you still laugh when you think of him.

Did you learn the language? Properly, I mean, not just enough to order bread. Did you make friends who do not know I was ever the new kid?

Are you still drawing? Please say yes.

Here are my promises, so you can check whether I kept them. I promise to say yes to at least one scary thing a month. I promise to write to Tomás on paper sometimes, because paper is harder to ignore than a message. I promise not to pretend I am fine when I am not, which is a promise I am already breaking a little in this letter.

I do not know who you are. That is the strangest part. You might have a different accent, a different favourite food, a different name for home. But you started here, on this floor, with a suitcase and a stomach full of nerves, and you were brave enough to get on the plane.

Be kind to me when you read this. I was doing my best.

Love,
Sixteen-year-old you`,
  },
  {
    key: 'story-detective-bakery',
    documentType: 'creative_writing',
    topic: 'A cosy mystery in a village bakery',
    goal: 'You want a short, cosy mystery story.',
    details: [
      'Set in a village bakery; the prize-winning lemon cake vanishes the morning of the village fair.',
      'The amateur detective is the baker, Hettie, aged 70.',
      'Clues: a trail of icing sugar, a dog with a yellow nose, an open back window.',
      'The culprit is the vicar\'s spaniel; no real crime, a happy ending.',
    ],
    target: `The Case of the Missing Lemon Cake

At six o'clock on the morning of the Little Barnham Fair, Hettie Bloom opened her bakery and discovered that the lemon cake had gone.

Not just any lemon cake. The cake: three tiers, drizzled twice, the recipe that had won first prize at the fair for eleven years running. Last night it had been cooling on the rack by the back window. Now there was only the rack, a few crumbs and Hettie's rising blood pressure.

Hettie was seventy years old and had read every detective novel in the village library, some of them twice. She put on her reading glasses and looked for clues.

The back window was open a hand's width. She was sure she had shut it. On the flagstones below was a trail of white powder: icing sugar, leading across the yard and through the gap under the gate.

Her first suspect was Gerald Pike, whose lemon cake had come second eleven years running. But Gerald was five foot nothing and could not have reached the window without a ladder, and there were no ladder marks in the flowerbed.

Hettie followed the sugar along the lane. It led past the post office, past the duck pond and up the path of the vicarage, where it stopped at a wicker basket by the door.

In the basket lay Bramble, the vicar's spaniel, fast asleep, with a bright yellow nose, a round belly and an expression of total peace.

The vicar arrived in his dressing gown, took one look and went pale. "Oh, Hettie. I'm so dreadfully sorry."

Hettie laughed until she had to sit on the step. Then she went home and baked another cake.

It won, of course. Bramble was given a rosette for Best Taste in Cakes, and wore it all afternoon.`,
  },
  {
    key: 'poem-first-snow',
    documentType: 'creative_writing',
    topic: 'A poem about a child seeing snow for the first time',
    goal: 'You want a poem about a child seeing snow for the first time.',
    details: [
      'The child is four and grew up somewhere warm; the family has just moved north.',
      'Told from the parent\'s perspective.',
      'Short stanzas, gentle rhythm; rhyme is optional.',
      'End with the parent seeing snow freshly through the child\'s eyes.',
    ],
    target: `First Snow

She has lived four years under a wide hot sky,
where winter meant a cardigan
and rain that fell straight down, in a hurry.

This morning she stands at the window of the new flat
in pyjamas with rockets on them,
and does not say anything at all.

The street has gone quiet.
The cars are wearing white hats.
The bins, the hedge, the neighbour's bicycle,
all of it softened, as if the world
had been gently told to rest.

"Is it broken?" she asks at last.
"The sky?"

I tell her no, it is snow,
it is rain that got cold and slowed down
to look around on the way.
She thinks about this seriously,
the way she thinks about dinosaurs.

Boots, coat, two pairs of mittens.
The stairs, the door, the step,
and then her first footprint,
small as a thumbprint on a page.

She looks back at it, amazed
that she can write on the ground.
She makes another, and another,
a sentence only she can read.

She catches a flake on her glove
and holds it up to me like a jewel,
and I look, really look,
at six thin arms of ice
more careful than anything I could make.

I have seen snow every winter of my life
since I moved north at twenty.
I had stopped seeing it.
This morning my daughter hands it back to me,
cold and new,
and we stand in the white street, both four years old.`,
  },
  {
    key: 'story-night-shift-nurse',
    documentType: 'creative_writing',
    topic: 'A night on a hospital ward',
    goal: 'You want a short literary story set on a hospital ward at night.',
    details: [
      'Told from the perspective of a night-shift nurse named Ifeoma.',
      'An elderly patient, Mr Gallagher, cannot sleep and asks her to sit with him.',
      'He tells her about dancing with his wife in 1962.',
      'Understated, no melodrama, ends at dawn.',
    ],
    target: `Three in the Morning, Ward Seven

At three in the morning, Ward Seven breathes in long slow waves. Ifeoma knows its sounds the way other people know a piece of music: the tick of the drip pumps, the sigh of the automatic doors, the radiator that knocks twice every hour as if asking to be let in.

She has done her rounds. She has checked the fluids, turned Mrs Okafor, found Mr Price's reading glasses in his slipper. She is writing notes at the desk when the light above bed eleven blinks on.

Mr Gallagher is eighty-seven and came in with a chest infection. He is sitting up, very straight, with his hands folded on the blanket.

"I can't sleep," he says. "I'm sorry. I know you're busy."

She is always busy. She pulls up a chair.

He does not want water or painkillers. He wants, it turns out, to talk about a dance hall in Liverpool in 1962, and a girl in a blue dress who trod on his foot during the first song and apologised all the way through the second.

"Margaret," he says. "She couldn't dance at all. Neither could I. We just held on and went round."

He tells her about the band, the cigarette smoke, the bus home in the rain when he was too shy to ask for her address and she wrote it on his hand with her lipstick. Fifty-one years, he says. She died in March.

Ifeoma does not say anything wise. She listens. Once, when the buzzer goes at the other end of the ward, she squeezes his hand and goes, and when she comes back he is still awake, waiting to tell her the rest.

By five he is asleep, his mouth a little open, his hands still folded.

At the window, the sky over the car park turns from black to grey. Ifeoma writes in his notes: Settled overnight. It is true, as far as it goes.`,
  },
  {
    key: 'story-dragon-accountant',
    documentType: 'creative_writing',
    topic: 'A dragon who becomes an accountant',
    goal: 'You want a whimsical fantasy story about a dragon with an unusual job.',
    details: [
      'The dragon, Ember, is bored of guarding gold and becomes the kingdom\'s accountant.',
      'Ember discovers the king\'s treasurer has been stealing.',
      'Humour comes from dragon habits clashing with office life (scorching paperwork, sitting on the ledgers).',
      'Around 300 words, satisfying twist at the end.',
    ],
    target: `Ember Balances the Books

For four hundred years, Ember the dragon had slept on a hoard of gold in a cave above the kingdom of Westmarch. It was, she decided one damp Tuesday, extremely boring. Gold did nothing. It did not grow, it did not change, and it was uncomfortable on the hips.

So she applied for a job.

The king's steward was alarmed to find a dragon in the waiting room, but the application was in order and the kingdom's accounts were a disaster. The previous accountant had retired to the coast with a suspicious amount of luggage. Ember was hired on a trial basis and given a desk, which she broke, and then a larger desk, which she also broke, and finally the floor.

Office life took some adjustment. Her first memo scorched through three floors. She had to be gently told that sitting on the ledgers to keep them safe was not standard practice. Her colleagues learned to knock before entering, and never to say the word "audit" near her when she had not eaten.

But she was very, very good with numbers. Dragons can smell gold, and it turned out they can also smell where gold ought to be and is not.

Within a month, Ember noticed that the royal treasury was four thousand crowns lighter every quarter. The missing money always vanished in the same column, written in the same neat hand: that of Lord Crane, the royal treasurer, who had recently bought a castle with three towers and a moat.

Ember presented her findings to the king with charts, footnotes and a small, warning puff of smoke.

Lord Crane was arrested before lunch. The gold was recovered by supper.

And the next morning, the king offered Ember his gratitude and a reward: a hoard of gold of her own.

"No, thank you," said Ember. "But I would like a pay rise, and a pension."`,
  },
];
