/** Built-in blog-post tasks, written for CollabStudy. */
import type { BuiltinTaskSource } from './types';

export const blogPostTasks: BuiltinTaskSource[] = [
  {
    key: 'blog-balcony-tomatoes',
    documentType: 'blog_post',
    topic: 'Growing tomatoes on a small balcony',
    goal: 'You want a short blog post about growing tomatoes on a balcony for a gardening blog.',
    details: [
      'Your balcony faces south-west and gets about six hours of sun.',
      'You grow a cherry variety called Sungold in 20-litre fabric pots.',
      'Your first year failed because you watered on a schedule instead of checking the soil.',
      'You want a practical tone with a short list of tips, not an essay.',
      'End by inviting readers to share their own balcony harvests.',
    ],
    target: `Tomatoes on Twelve Square Feet

When I moved into a flat with a narrow south-west balcony, I assumed tomatoes were out of the question. Three summers later, that strip of concrete gives me more Sungold cherry tomatoes than my household can eat. Here is what I learned, most of it the hard way.

My first season was a failure. I bought pretty ceramic pots, planted two seedlings in each, and watered every evening at seven whether the plants needed it or not. By July the lower leaves were yellow, the fruit split, and I was blaming the weather. The real problem was me: I was watering a calendar, not a plant.

What works for me now:

1. Use big containers. Twenty-litre fabric pots keep roots cool and drain well. One plant per pot, no exceptions.
2. Check the soil, not the clock. Push a finger two knuckles deep. If it is dry, water slowly until it drains. If not, walk away.
3. Chase the sun. My balcony gets about six hours of direct light. I put the pots against the railing, where it is brightest, and move the chairs instead.
4. Pick a forgiving variety. Cherry types such as Sungold ripen quickly and tolerate the wind that whips around the building.
5. Feed lightly and often. A weak tomato feed every week after the first flowers beats a strong dose once a month.
6. Tie early. Soft ties and a bamboo cane, added before the plant flops, save a lot of broken stems.

None of this needs a garden, a greenhouse or special skill. It needs attention for five minutes a day, which is also the part I have come to enjoy most: standing outside with a coffee, looking for the first orange fruit.

Do you grow anything on a balcony or windowsill? Tell me what worked, and what did not, in the comments. I am always looking for next year's experiment.`,
  },
  {
    key: 'blog-remote-standups',
    documentType: 'blog_post',
    topic: 'Making remote stand-up meetings useful',
    goal: 'You want a blog post for your team-lead newsletter about fixing daily stand-ups in a remote team.',
    details: [
      'Your team of nine people spans three time zones.',
      'Stand-ups used to run 35 minutes and people read out task lists.',
      'You switched to written async updates plus a 10-minute live call twice a week.',
      'The live call is only for blockers and decisions.',
      'Keep it honest: mention that one person missed the old daily call at first.',
    ],
    target: `Our Stand-Up Was a Status Report. Here Is What We Changed.

For a year, our daily stand-up was the least useful meeting on the calendar. Nine people in three time zones joined a video call, and one by one we read out what we had done yesterday and what we planned to do today. It was meant to take fifteen minutes. It regularly took thirty-five. Nobody listened to anyone else's list, because nobody needed to.

The problem was not discipline. It was that we were using a live meeting for something that does not need to be live. A list of tasks is information. Information travels perfectly well in writing, and writing does not care what time it is in Lisbon.

So we split the meeting in two.

Every morning, each person posts three short lines in a shared channel: what moved, what is next, and anything that is stuck. It takes two minutes to write and one minute to skim everyone else's. Because it is written, people in the late time zone read it with their coffee instead of joining a call at the end of their day.

Twice a week, we meet live for ten minutes. The rule is simple: we only talk about blockers and decisions. If nothing is blocked and nothing needs deciding, we end early, and that happens more often than you would think.

The results after two months: roughly four hours a week returned to the team, fewer surprises at the end of a sprint, and blockers raised a day earlier on average, because writing "stuck" in a channel feels less awkward than saying it in front of everyone.

It was not a painless switch. One colleague missed the daily call, which had been her main moment of contact with the rest of us. We added an optional social coffee on Fridays, and she runs it now.

If your stand-up has turned into a status report, try moving the status out of the meeting. Keep the meeting for the things only a conversation can do.`,
  },
  {
    key: 'blog-first-marathon',
    documentType: 'blog_post',
    topic: 'Lessons from running a first marathon at forty',
    goal: 'You want a personal blog post about running your first marathon.',
    details: [
      'You ran it at 40, after starting to run only two years earlier.',
      'Your finish time was 4 hours 31 minutes.',
      'You hit the wall at kilometre 32 and walked for a few minutes.',
      'The biggest lesson was to run the early kilometres slower than felt natural.',
      'You want it reflective but light, with a little humour.',
    ],
    target: `Four Hours, Thirty-One Minutes

Two years ago I could not run to the end of my street without stopping. Last Sunday, at forty years old, I crossed the finish line of my first marathon in four hours and thirty-one minutes. I am writing this with legs that still object to stairs.

The race itself went almost exactly as the experienced runners in my club had warned it would. The first ten kilometres felt wonderful. The crowd was loud, the air was cool, and my body insisted I was holding back. I was not holding back. I was running nearly twenty seconds per kilometre faster than my plan, and I knew it, and I did it anyway.

At kilometre thirty-two, the bill arrived. People call it the wall, and that is a good name, because it does feel as though something solid has appeared in front of you. My legs turned heavy, my thoughts turned dark, and for about four minutes I walked, eating a gel and bargaining with myself. A stranger with a hand-written sign that said "Your feet hurt because you are kicking so much butt" got me running again. I would like to thank that stranger.

What I learned, in order of importance:

Run the early kilometres slower than feels natural. The energy you save at kilometre five is the energy you spend at kilometre thirty-five.

Practise eating while running. My stomach handled the gels because I had trained with them for months.

Start late, if you have to, but start. Nobody at the finish line asked me how old I was or how long I had been running.

I do not know yet whether I will run another one. My family says I have already started talking about "next time", which I deny. But I know I will keep running, slowly, and that for one morning I was a marathoner.`,
  },
  {
    key: 'blog-cast-iron-care',
    documentType: 'blog_post',
    topic: 'Caring for a cast-iron pan',
    goal: 'You want a beginner-friendly blog post about looking after a cast-iron pan.',
    details: [
      'The post is for your home-cooking blog; readers are beginners.',
      'You inherited your grandmother\'s pan, which is over fifty years old.',
      'Bust the myth that you can never use soap.',
      'Cover cleaning, drying, oiling and rescuing a rusty pan.',
      'Keep it under 400 words.',
    ],
    target: `Your Cast-Iron Pan Is Tougher Than You Think

The pan I cook with most was my grandmother's. It is more than fifty years old, black as midnight, and heavier than it looks. It has survived house moves, a flood in the basement and at least one teenager who left it to soak overnight. If it could survive all of that, yours will survive you learning how to care for it.

Let us clear up the biggest myth first: you can use soap. Old soaps contained lye, which really could strip seasoning. Modern dish soap is mild. A small squirt and a brush will not undo the polymerised oil that makes a pan non-stick. What will hurt it is soaking.

Here is the routine I follow after every use:

Clean it while it is warm. Rinse with hot water, add a drop of soap if it is greasy, and scrub with a brush or a chain-mail scrubber. For stuck bits, boil a little water in the pan for a minute.

Dry it completely. Towel it off, then put it back on the hob over low heat for two or three minutes. Water is the only real enemy of cast iron.

Oil it lightly. While it is still warm, rub in a few drops of neutral oil with a paper towel, then wipe until it looks almost dry. Too much oil turns sticky.

Store it somewhere dry, with a paper towel inside if you stack other pans on top.

And if you find rust? Do not panic, and do not throw it away. Scrub the rust off with steel wool until you reach bare metal, wash and dry it, then coat the whole pan with a very thin layer of oil and bake it upside down at 230°C for an hour. Repeat two or three times, and it will be ready to cook again.

Cast iron rewards habit, not perfection. Cook in it often, keep it dry, and one day you will hand it on, too.`,
  },
  {
    key: 'blog-library-of-things',
    documentType: 'blog_post',
    topic: 'A neighbourhood library of things',
    goal: 'You want a blog post for your community association about the new "library of things".',
    details: [
      'The library lends tools and equipment instead of books: drills, a carpet cleaner, camping gear, a sewing machine.',
      'It opened in the old scout hut on Saturdays from 10 to 1.',
      'Membership is free; borrowers pay a small fee per item to cover repairs.',
      'Thirty-eight volunteers donated 140 items in the first month.',
      'You need more volunteers to staff the counter; include how to sign up by email at things@elmroadcommunity.org.',
    ],
    target: `Borrow a Drill, Not a Book: Our Library of Things Is Open

How often do you use a power drill? Research from several lending projects suggests the answer for most households is a few minutes a year. Yet nearly every home on our street owns one, along with a carpet cleaner used once, a tent that lives in the loft and a sewing machine still in its box. Our new Library of Things is an attempt to share instead.

It works like a library, except the shelves hold things rather than books. Since opening last month in the old scout hut, we have lent out drills and sanders, a pressure washer, a carpet cleaner, tents and camping stoves, a sewing machine, a projector for garden film nights and, to the delight of several children, a candy-floss maker.

Membership is free for anyone who lives in the neighbourhood. Each loan costs a small fee, usually one or two pounds, which goes straight into repairs and replacement parts. You borrow for up to a week, and a volunteer shows you how to use anything unfamiliar before you take it home.

The response has been remarkable. In the first month, thirty-eight neighbours donated a hundred and forty items, and we made over ninety loans. Several people told us they had been about to buy something they now realise they only needed for an afternoon.

We are open on Saturdays from 10 a.m. to 1 p.m. To keep going, we need more volunteers to staff the counter, check items back in and help with simple repairs. A shift lasts three hours, and you do not need to be handy: a friendly face and a clipboard are enough.

If you can spare one Saturday morning a month, email us at things@elmroadcommunity.org. And if there is something gathering dust in your cupboard that a neighbour could use, bring it along. The best thing about a shared drill is that nobody has to buy the next one.`,
  },
  {
    key: 'blog-sleep-and-screens',
    documentType: 'blog_post',
    topic: 'A two-week experiment with no screens before bed',
    goal: 'You want a blog post about a personal experiment you did with your evening screen use.',
    details: [
      'For two weeks you stopped using your phone and laptop after 9:30 pm.',
      'You tracked how long it took to fall asleep in a notebook.',
      'Falling asleep went from about 40 minutes to about 15 minutes on average.',
      'The hardest part was the habit of checking messages in bed.',
      'Be careful not to present it as science: it is one person\'s notebook.',
    ],
    target: `What Happened When I Put My Phone Away at 9:30

For months I had the same routine: get into bed, tell myself I would check one message, and look up forty minutes later from a video about restoring old watches. Then I would lie awake wondering why I could not sleep. So I ran a small experiment on myself.

The rule was simple. For two weeks, no phone, no laptop and no television after half past nine. The phone charged in the kitchen. I kept a notebook by the bed and wrote down roughly how long it took me to fall asleep each night, plus anything I noticed.

Before the experiment, my estimate was that I took about forty minutes to fall asleep on an ordinary weeknight. During the second week, the average in my notebook was closer to fifteen. I also woke up less often, and on four mornings I woke before the alarm, which had not happened in years.

The hardest part was not boredom. It was reaching for a phone that was not there. For the first few nights my hand went to the bedside table on its own, like a habit with a mind of its own. What helped was giving my hands a job: a paper book, a crossword, and on two nights a pot of tea and a conversation with my partner that we would otherwise have had by text from opposite ends of the sofa.

I want to be honest about what this is. It is one person's notebook over fourteen nights, with no control group and plenty of other things changing in my life. It proves nothing about anybody else. But it convinced me, and I have kept the rule, loosely, ever since.

If you are curious, try it for a week. You do not need an app to track it. A pen will do, and it does not light up at midnight.`,
  },
  {
    key: 'blog-learning-welsh',
    documentType: 'blog_post',
    topic: 'Learning Welsh as an adult',
    goal: 'You want a blog post about your experience learning a language as an adult.',
    details: [
      'The language is Welsh; you started after moving to Aberystwyth.',
      'You practise 20 minutes a day with an app and attend a weekly conversation group in a café.',
      'You felt embarrassed at first because native speakers switched to English.',
      'A turning point was ordering bread entirely in Welsh and being answered in Welsh.',
      'Encourage other adult learners; mention that mistakes are fine.',
    ],
    target: `Bara, Os Gwelwch yn Dda: Learning Welsh at Forty-Five

When I moved to Aberystwyth, I promised myself I would learn Welsh. I had no family connection to the language and no particular gift for grammar. I simply did not want to live somewhere for years and understand only half of what I heard in the street.

I started with twenty minutes a day on a language app, usually on the bus. It taught me phrases, numbers and the strange, lovely way Welsh changes the first letter of a word depending on what comes before it. Mutations, they are called, and for the first three months they made me feel like I was trying to catch fish with my hands.

The app alone was not enough. What made the difference was a weekly conversation group that meets in a café near the harbour. Every Tuesday evening, a dozen learners and two patient volunteers sit around pushed-together tables and talk about the weather, our families and what we had for tea. The rule is Welsh only, even when it is slow and full of gaps.

The embarrassing part, early on, was how quickly people switched to English when they heard my accent. They were being kind, but it felt like a door closing. I learned to say, politely, "Dw i'n dysgu Cymraeg", I am learning Welsh, and most people happily slowed down for me.

My turning point came in a bakery. I asked for a loaf of bread, said please and thank you, and commented on the rain, all in Welsh. The woman behind the counter answered in Welsh, and we had a short, clumsy, wonderful conversation. I walked out grinning like a child.

If you are learning a language as an adult, you will make mistakes constantly. That is not failure; that is the work. Find people to practise with, and go and buy some bread.`,
  },
  {
    key: 'blog-repair-cafe',
    documentType: 'blog_post',
    topic: 'Why I volunteer at a repair café',
    goal: 'You want a blog post about volunteering at a repair café.',
    details: [
      'You fix small electrical appliances there once a month.',
      'Last month you repaired a 1970s radio that belonged to a visitor\'s late father.',
      'About two thirds of items brought in are fixed.',
      'The café teaches visitors to repair things with you, not for them.',
      'You want to argue that repair is about relationships as much as waste.',
    ],
    target: `The Radio That Came Back to Life

On the first Saturday of every month, I spend the afternoon at a folding table in a church hall with a soldering iron, a multimeter and a queue of broken things. I am one of the volunteers at our local repair café, where people bring toasters, lamps, bicycles and torn jackets, and we try to fix them together.

That word, together, matters. We do not take items away and return them mended. The owner sits beside us and we open the thing up side by side. I explain what I am testing and why. Often they hold the torch or unscrew the back panel. Most leave knowing a little more about how the objects in their lives work, and a surprising number come back the next month to help someone else.

About two thirds of what comes in leaves working. The rest usually needs a part we do not have, or is beyond saving, and even then people tend to leave happier than they arrived, because they know why.

Last month a man brought in a radio from the 1970s. It had belonged to his father, who had died in the spring, and it had not made a sound in years. It turned out to be a cracked solder joint and a dirty volume control. Forty minutes later, the hall filled with a crackly voice reading the shipping forecast, and he had to step outside for a moment.

People often talk about repair cafés as a way to reduce waste, and they are. Every kettle we fix is one fewer in a landfill. But I have come to think the bigger gift is connection. A repair café is a place where strangers sit close together and solve a small problem, and where an old radio can carry a voice across a room one more time.

If there is one near you, bring something broken. Or bring a screwdriver and stay.`,
  },
  {
    key: 'blog-budget-travel-japan',
    documentType: 'blog_post',
    topic: 'Travelling in Japan on a budget',
    goal: 'You want a travel blog post with budget tips for Japan.',
    details: [
      'You spent 16 days in Japan and averaged about 70 US dollars a day excluding flights.',
      'Tips: business hotels and hostels, convenience-store breakfasts, lunch sets, regional rail passes rather than the national pass.',
      'You skipped Tokyo for most of the trip and spent time in Shikoku.',
      'Include one mistake: you overpaid for a taxi after missing the last bus.',
      'Friendly, practical tone; short paragraphs.',
    ],
    target: `Sixteen Days in Japan for About $70 a Day

Japan has a reputation for being expensive. After sixteen days there, I spent on average about seventy US dollars a day, not counting flights, and I never felt I was missing out. Here is how.

Sleep simply. I stayed in a mix of hostels and business hotels. Business hotels are small, spotless rooms aimed at travelling workers, often with a public bath and breakfast. Booked a few weeks ahead, they were rarely more than forty dollars a night outside the big cities.

Eat breakfast at the convenience store. Japanese convenience stores are nothing like the ones at home. Rice balls, boiled eggs, fruit and decent coffee cost a few dollars, and they are everywhere.

Make lunch your big meal. Many restaurants offer lunch sets, a main dish with rice, soup and pickles, for a fraction of the dinner price. I ate some of my best meals of the trip at noon for under ten dollars.

Do the maths on rail passes. The national rail pass only pays off if you cover very long distances quickly. I bought a regional pass for Shikoku instead, which cost much less and matched the slower trip I wanted.

Leave the capital. I spent only two days in Tokyo and most of my time on Shikoku, the smallest of the four main islands. It was cheaper, quieter, and full of mountain temples, river gorges and towns where I was often the only foreigner on the train.

My one expensive mistake: I lingered too long at a hot spring, missed the last bus back to town, and paid nearly fifty dollars for a taxi. Check the last departure time before you relax.

Japan rewards travellers who go slowly and eat where the locals eat. Your wallet will notice, and so will you.`,
  },
  {
    key: 'blog-ai-in-classroom',
    documentType: 'blog_post',
    topic: 'A teacher on AI writing tools in class',
    goal: 'You want a blog post, from your point of view as a secondary-school English teacher, about AI writing tools.',
    details: [
      'You teach 15- and 16-year-olds.',
      'Instead of banning the tools, you had students critique an AI-written essay.',
      'Students found factual errors and a generic voice in the essay.',
      'You now ask for handwritten first drafts in class plus a short reflection.',
      'Balanced view: acknowledge colleagues who prefer a ban.',
    ],
    target: `I Asked My Students to Mark a Machine's Essay

I teach English to fifteen- and sixteen-year-olds, and this year the question in the staff room was the same every week: what do we do about the AI writing tools? Some colleagues want them banned outright. I understand why. But I doubted a ban would hold, and I wanted my students to think about the tools rather than simply hide them.

So I tried something. I gave my classes an essay on the theme of guilt in Macbeth, written by an AI tool from a single prompt, and asked them to mark it with the same rubric I use for their work.

They were merciless, and they were right. Several groups spotted a quotation attributed to the wrong character. Others noticed that the essay made the same point three times in slightly different words. The comment I heard most often was that it "sounds like nobody". It was fluent, tidy and strangely empty, with no argument that a real reader could disagree with.

That phrase stuck with me, because it named what I actually want from my students: a voice, a position, a risk. We spent the next lesson talking about what makes writing sound like somebody.

I have changed two things since. First drafts of major essays are now written by hand in class, so I can see how each student's thinking develops. Second, every final submission comes with a short reflection on how they got from the draft to the finished piece, including any tools they used and what they changed.

I do not think I have solved anything. My colleagues who favour a ban have good reasons, and I expect my approach will need to change as the tools do. But I would rather my students learn to judge machine-made writing than pretend it does not exist. They will be reading a lot of it.`,
  },
];
