/** Built-in personal-statement tasks, written for CollabStudy. All people are fictional. */
import type { BuiltinTaskSource } from './types';

export const personalStatementTasks: BuiltinTaskSource[] = [
  {
    key: 'ps-nursing-carer',
    documentType: 'personal_statement',
    topic: 'Nursing degree application from a young carer',
    goal: 'You want a personal statement for a university nursing application.',
    details: [
      'You cared for your younger brother, who has cerebral palsy, from the age of 12.',
      'You volunteered for a year at a care home on Saturdays.',
      'You want to show you know nursing is hard, not just that you are caring.',
      'Mention you enjoyed human biology at school and got an A.',
      'About 350 words, sincere, not sentimental.',
    ],
    target: `Since I was twelve, I have helped to care for my younger brother, Sam, who has cerebral palsy. I have learned how to help him move from his wheelchair to his bed without hurting his shoulders, how to notice the early signs of a chest infection, and how to stay calm during a seizure while my mother phoned for help. Caring for Sam taught me that caring is a skill, not only a feeling. It takes knowledge, routine and steady hands, and I want to spend my career getting better at it.

I know nursing is demanding. For the past year I have volunteered every Saturday at Oakfield Care Home. I serve meals, help residents with activities and, above all, talk with them. I have seen nurses juggle medication rounds, anxious relatives and a fall in the corridor within the same ten minutes, and still speak to each resident with patience. I have also seen the less visible side of the job: the paperwork, the long shifts, and the sadness when a resident we all knew well died in the night. These experiences did not put me off. They showed me what the work really is and made me admire it more.

At school, human biology has been my favourite subject, and I achieved an A. I was fascinated by how the respiratory system adapts to disease, partly because I had seen it happen with Sam. Studying the science behind what I had learned at home made me realise how much more I want to understand, from pharmacology to the psychology of patients in pain.

Outside school and caring, I work part-time at a supermarket, which has taught me to manage my time and to stay polite when people are stressed. I also swim twice a week, which keeps me fit and gives me time to think.

I am applying to study nursing because I want to turn years of practical, personal experience into professional knowledge. I am used to responsibility, I am not afraid of hard days, and I know why the work matters. I hope to bring that commitment to your course.`,
  },
  {
    key: 'ps-computer-science-game',
    documentType: 'personal_statement',
    topic: 'Computer science application driven by building a game',
    goal: 'You want a personal statement for a computer science undergraduate application.',
    details: [
      'You taught yourself to program by building a small puzzle game that 3,000 people downloaded.',
      'A bug report from a colour-blind player made you redesign the game with accessible colours and patterns.',
      'You are interested in human-computer interaction and algorithms.',
      'You competed in a national olympiad in informatics and reached the second round.',
      'Around 350 words; avoid clichés like "ever since I was young".',
    ],
    target: `Three thousand people have downloaded a puzzle game I wrote in my bedroom, and the most important message I received about it came from one of them. She wrote to say she could not play beyond level four, because two of the tiles were red and green and, being colour-blind, she could not tell them apart.

I had spent months on that game. I had learned Python and then C# to build it, taught myself enough linear algebra to make tiles rotate smoothly, and rewritten the level generator three times to stop it producing puzzles with no solution. But I had never thought about who might be unable to play it. Her message changed how I think about software. I redesigned every tile to use patterns as well as colours, tested the game with a colour-blindness simulator, and added a high-contrast mode. The next update was the first one that made me proud.

That experience drew me towards human-computer interaction, the study of how people and software meet. At the same time, the level generator drew me towards algorithms. Making sure every puzzle was solvable led me to backtracking search, and then to reading about graph theory well beyond my school syllabus. I enjoy the feeling of a problem that seems impossible until the right structure appears.

To test myself, I entered a national informatics olympiad last year and reached the second round. I did not progress further, but the problems showed me how much I still have to learn about efficient algorithms, and I have been working through past papers since.

At school I study mathematics, further mathematics and physics. Outside lessons I run a weekly coding club for younger students, where I have learned that explaining a loop to an eleven-year-old is harder, and more useful, than writing one.

I want to study computer science because I want to build software that is both clever and considerate: fast, correct and usable by everyone who needs it. I would bring curiosity, persistence and a habit of reading my bug reports carefully.`,
  },
  {
    key: 'ps-history-archive',
    documentType: 'personal_statement',
    topic: 'History degree application inspired by a local archive',
    goal: 'You want a personal statement for a history degree.',
    details: [
      'You volunteered at your town\'s archive cataloguing letters from a 19th-century mill.',
      'You found letters from a mill worker, Ann Holt, complaining about conditions in 1842.',
      'This made you interested in social history and history "from below".',
      'You read E. P. Thompson\'s The Making of the English Working Class.',
      'Mention your EPQ (extended project) on the town\'s cholera outbreak of 1849.',
    ],
    target: `In the basement of my town's archive there is a grey box labelled "Mill correspondence, 1838–1851". Last summer, as a volunteer, I catalogued it letter by letter. Most were orders for cotton and complaints about late payments. Then, folded inside an account book, I found three letters from a mill worker named Ann Holt, written in 1842. She complained to the owner about twelve-hour shifts, about children falling asleep at the machines, and about wages cut without warning. Her spelling was uncertain, but her anger was perfectly clear.

Ann Holt is in no history book I have read. Yet her letters told me more about the industrial revolution than any textbook chapter, because they showed it from the factory floor rather than from the owner's office. That discovery made me want to study social history: the history of people who left few records, and whose voices must be found in the margins of documents written by others.

To understand this approach better, I read E. P. Thompson's The Making of the English Working Class. I found it long and at times difficult, but his insistence on rescuing ordinary people from "the enormous condescension of posterity" described exactly what I had felt in the archive. I was also interested in the criticism that his account gives too little attention to women, which made me think again about how rarely someone like Ann Holt appears.

For my Extended Project, I researched the cholera outbreak that struck my town in 1849. Using burial registers, a health inspector's report and newspaper accounts, I mapped the deaths street by street and found they clustered around two shared wells in the poorest district. The project taught me to weigh sources against each other and to be honest about what the evidence could not show.

I study history, English literature and geography. I want to read history at university because I want to learn the methods that will let me find more voices like Ann Holt's, and tell their stories accurately.`,
  },
  {
    key: 'ps-mba-career-change',
    documentType: 'personal_statement',
    topic: 'MBA application from a chef changing careers',
    goal: 'You want a statement of purpose for an MBA programme.',
    details: [
      'You worked as a chef for eight years and became head chef of a 60-cover restaurant.',
      'During the pandemic you set up a meal-delivery service that kept 14 staff employed.',
      'You want to move into operations management in the food industry, especially reducing food waste.',
      'You cut the kitchen\'s food waste by 30 percent with a new ordering system.',
      'Professional tone, about 400 words.',
    ],
    target: `For eight years I worked in professional kitchens, rising from commis chef to head chef of a sixty-cover restaurant in Bristol. A kitchen is a small, fast operations business: every evening, raw materials arrive, are transformed under tight time pressure and leave as a product that must be consistent, safe and profitable. I have come to realise that the part of my work I enjoy most is not the cooking but the system around it. I am applying for an MBA to turn that practical experience into the skills of an operations leader.

My clearest lesson in management came in 2020. When the restaurant was ordered to close, the owners expected to lay off the entire team. Together with the general manager, I proposed a meal-delivery service instead. Within ten days we had redesigned the menu for transport, negotiated with two suppliers for smaller and more frequent deliveries, built a simple ordering website and reorganised shifts. The service kept fourteen staff employed through the closures and covered the restaurant's fixed costs. I learned that operations decisions are also people decisions.

Back in the restaurant, I turned to a problem that had always troubled me: waste. We were throwing away nearly a fifth of the produce we bought. I introduced an ordering system based on reservation data and a simple forecast of covers, standardised portion sizes and began weekly waste audits with the team. Within six months our food waste had fallen by thirty percent, and food costs had dropped accordingly. It was the most satisfying thing I have done in a kitchen.

I now want to work on these questions at scale. The food industry wastes a large share of what it produces, and much of that loss comes from poor forecasting, rigid supply chains and misaligned incentives. My goal is a career in operations management with a food producer or distributor, leading projects that reduce waste while protecting margins.

My experience gives me a practical understanding of how food businesses run, and of how to lead teams under pressure. What I lack is formal training in supply-chain analytics, finance and strategy. Your programme's operations concentration and its consulting projects with industry partners would give me both the tools and the chance to test them.

I am used to long hours, quick decisions and honest feedback, which I believe will serve me well in an intensive MBA. I hope to bring a perspective from the kitchen floor to your classroom.`,
  },
  {
    key: 'ps-environmental-science-river',
    documentType: 'personal_statement',
    topic: 'Environmental science application about a polluted river',
    goal: 'You want a personal statement for environmental science.',
    details: [
      'You grew up next to a river that had a fish die-off when you were 14.',
      'You joined a citizen-science group testing nitrate and phosphate levels monthly.',
      'Your data was used by the local council in a report on farm run-off.',
      'You are interested in freshwater ecology and catchment management.',
      'You also did a week of work experience with the environment agency.',
    ],
    target: `When I was fourteen, I walked down to the river behind our house and found the shallows white with dead fish. Hundreds of roach and minnows lay on their sides among the reeds. I remember the smell, and I remember that nobody seemed able to tell me why it had happened. That question has stayed with me, and it is the reason I want to study environmental science.

A few months later I joined a citizen-science group that monitors the river. Once a month for the past three years, I have collected water samples from four sites and tested them for nitrate, phosphate and dissolved oxygen. At first I simply followed the instructions on the testing kits. Over time I began to ask what the numbers meant. I noticed that phosphate levels rose sharply after heavy rain, especially at the site below a group of arable farms, and I started recording rainfall alongside our measurements.

Last year our group's data was included in a report by the local council on agricultural run-off in the catchment. Seeing measurements I had taken in the cold and the mud used to argue for buffer strips along the riverbanks was one of the proudest moments of my life. It also showed me that good science needs careful, repeated, unglamorous work.

I spent a week of work experience with the environment agency, shadowing an ecology officer. We carried out a kick-sample survey of river invertebrates, and she explained how the presence of mayfly larvae can indicate clean water more reliably than a single chemical test. I found the idea of reading a river's health from the life within it fascinating, and it drew me towards freshwater ecology.

I study biology, chemistry and geography, and I enjoy fieldwork most of all. At university, I want to understand how whole catchments work, from soil and farming to water chemistry and wildlife, so that one day I can help prevent days like the one I saw at fourteen.`,
  },
  {
    key: 'ps-teacher-training-engineer',
    documentType: 'personal_statement',
    topic: 'Teacher training application from an engineer',
    goal: 'You want a personal statement for a postgraduate teacher-training course in secondary physics.',
    details: [
      'You spent ten years as a civil engineer designing bridges.',
      'You mentored graduate engineers and volunteered as a STEM ambassador in schools.',
      'A pupil who said "physics is not for people like me" changed your mind about your career.',
      'You want to show you understand behaviour management is a challenge.',
      'About 350 words.',
    ],
    target: `For ten years I have worked as a civil engineer, designing footbridges and road bridges across the north of England. I love the moment when the calculations on my screen become steel and concrete that thousands of people cross without a second thought. Physics has been the foundation of my whole career. I now want to spend the rest of it helping young people discover that foundation for themselves.

The idea began with volunteering. As a STEM ambassador, I have visited schools to run bridge-building challenges with spaghetti and marshmallows. During one session, a Year 9 pupil built the strongest bridge in the room, then told me quietly that she would drop physics as soon as she could because "it isn't for people like me". I have thought about that sentence ever since. She clearly had the talent. What she lacked was a sense that the subject belonged to her, and I believe a good teacher can change that.

At work, the part of my job I have enjoyed most is mentoring graduate engineers. I have learned to explain difficult ideas in several different ways, to notice when someone is nodding without understanding, and to let people make safe mistakes and learn from them. These skills will be useful in the classroom, although I know teaching thirty teenagers is very different from supporting one graduate.

I do not underestimate the challenges. During my school experience placement, I watched an experienced teacher manage a difficult Year 10 class with calm routines, clear expectations and a great deal of patience. I could see how much skill sat beneath what looked effortless, and how much I have to learn about behaviour management. I am ready to learn it.

I can bring real examples from engineering into lessons, showing how forces, materials and energy shape the world outside the school gates. Above all, I want pupils like the girl with the spaghetti bridge to leave my classroom believing that physics is for people like them.`,
  },
  {
    key: 'ps-medicine-refugee-interpreter',
    documentType: 'personal_statement',
    topic: 'Medicine application from a student who interpreted for family',
    goal: 'You want a personal statement for medical school.',
    details: [
      'Your family came to the country as refugees from Syria when you were 10.',
      'You interpreted at medical appointments for your parents and neighbours from the age of 12.',
      'You shadowed a GP for two weeks and saw how much communication matters in consultations.',
      'Mention the chemistry olympiad bronze award and your volunteering at a hospice.',
      'Avoid dramatic language; keep it reflective.',
    ],
    target: `I was twelve when I first interpreted at a doctor's appointment. My father had chest pain, and I sat between him and the GP translating words like "radiating" and "shortness of breath" that I had only just learned in English myself. Our family had arrived from Syria two years earlier, and over the following years I interpreted for my parents and for several neighbours at GP surgeries, hospital clinics and a pharmacy counter. Those appointments showed me medicine from an unusual angle: not only as science, but as a conversation in which misunderstanding can be as harmful as illness.

I later had the chance to see that conversation from the other side during two weeks of work experience with a GP. I watched her adjust her language for each patient, from a frightened teenager to an elderly man with dementia, and noticed how often the most important information came out only at the end of a consultation, when the patient felt heard. She told me that listening is a clinical skill. I recognised this from my years of interpreting, and I want to develop it properly.

For the past eighteen months I have volunteered at a local hospice, helping at mealtimes and sitting with patients whose families cannot visit often. It has been humbling. I have learned to be comfortable with silence, to respect people's wishes about how they spend their last weeks, and to look after myself after difficult days, which I know matters in a long medical career.

Science has always come naturally to me. I study chemistry, biology and mathematics, and last year I won a bronze award in the chemistry olympiad. I enjoy understanding mechanisms, whether of a reaction or of a drug, and I look forward to applying that curiosity to human physiology.

I want to study medicine because it combines the science I enjoy with the work I have already found meaningful: helping people understand what is happening to them, and making sure their voice is heard.`,
  },
  {
    key: 'ps-music-scholarship',
    documentType: 'personal_statement',
    topic: 'Music scholarship application for a cellist',
    goal: 'You want a statement for a music scholarship application.',
    details: [
      'You play the cello and started at 11, late compared to most applicants.',
      'You practise three hours a day and passed grade 8 with distinction.',
      'You founded a string quartet that plays at care homes.',
      'You are interested in contemporary music and premiered a piece by a student composer.',
      'Explain financial need briefly and with dignity.',
    ],
    target: `I came to the cello late. I was eleven when a visiting ensemble played at my school, and I remember the cellist's sound filling the hall like warm water. Most of the musicians I now play alongside began at five or six. Starting late has meant working harder and more deliberately, and I have come to see that as an advantage: I have never taken my progress for granted.

For the past four years I have practised for around three hours a day, usually before school and in the evening. I passed my Grade 8 examination with distinction last year, and I am now working on the Elgar Concerto with my teacher, focusing on the control of tone in the slow movement, which I find harder than any fast passage.

Two years ago I founded a string quartet with three friends from my youth orchestra. We rehearse on Sunday afternoons and play monthly concerts in care homes around our town. Playing for an audience that sometimes sings along, falls asleep or tells us about the concerts they attended in the 1950s has taught me more about communication through music than any competition. It has also taught me to arrange, to organise and to listen closely to three other people.

I am especially drawn to contemporary music. Last spring our quartet gave the first performance of a piece by a student composer at my school, and working with a living composer, discussing what a marking meant and trying passages several ways, was one of the most exciting experiences I have had as a musician. I hope to continue this kind of collaboration at conservatoire.

I am applying for this scholarship because my family cannot meet the full cost of tuition. My mother works as a teaching assistant and has supported my music in every way she can, including buying my cello in instalments. A scholarship would allow me to accept a place on merit and to focus fully on my training.

I would bring discipline, curiosity and a belief that music belongs in every room, not only in concert halls.`,
  },
  {
    key: 'ps-law-debate-tenant',
    documentType: 'personal_statement',
    topic: 'Law degree application inspired by a tenancy dispute',
    goal: 'You want a personal statement for a law degree.',
    details: [
      'Your family was threatened with an unfair eviction when you were 15.',
      'A volunteer at a free legal advice centre helped your mother understand the tenancy law and the eviction notice turned out to be invalid.',
      'You now volunteer at the same advice centre doing reception and research.',
      'You captain the school debating team, which reached a regional final.',
      'Mention a book: Tom Bingham\'s The Rule of Law.',
    ],
    target: `When I was fifteen, our landlord pushed an eviction notice through our door and gave us four weeks to leave. My mother, who works long shifts as a cleaner, did not know whether she had any rights, and neither did I. We spent a frightening fortnight looking at flats we could not afford before a neighbour suggested a free legal advice centre in the town library.

The volunteer who saw us read the notice carefully and explained, in plain language, that it did not meet the legal requirements and was therefore invalid. She helped my mother write a reply. We stayed in our home. I remember the relief, but I also remember the unfairness: we had nearly lost our home not because the law was against us, but because we did not know what it said. That experience is why I want to study law.

Last year I began volunteering at that same advice centre. I work on reception, greeting clients and booking appointments, and I help the advisers by researching recent guidance on housing and benefits. I have seen how many people arrive anxious and confused, and how much a clear explanation can change. I have also seen the limits: the centre is overstretched, and some problems cannot be solved with a letter.

To understand the principles behind the practice, I read Tom Bingham's The Rule of Law. His argument that the law must be accessible and, as far as possible, intelligible struck me because my family's experience showed how often it is not. It made me think about legal aid, plain-language drafting and the responsibilities of lawyers beyond their clients.

As captain of my school's debating team, I have learned to build arguments from evidence, to anticipate objections and to argue positions I disagree with. Reaching the regional final last year taught me the value of preparation, and losing it taught me the value of listening to the other side.

I want to study law so that I can one day explain it to someone who is frightened, as a volunteer once explained it to us.`,
  },
  {
    key: 'ps-architecture-self-build',
    documentType: 'personal_statement',
    topic: 'Architecture application from someone who helped build a house',
    goal: 'You want a personal statement for an architecture course.',
    details: [
      'Your family spent two years building their own timber-frame house.',
      'You helped with everything from insulation to the staircase.',
      'You are interested in sustainable, low-energy buildings.',
      'Your portfolio includes sketchbooks of buildings in your town and a model of a community library.',
      'Mention a visit to a building that inspired you: a wooden church or library of your choice.',
    ],
    target: `For two years of my childhood, my family lived in a caravan in a muddy field while we built our own house. My parents had designed a small timber-frame home with the help of an architect, and almost every weekend and holiday from the age of thirteen, I worked alongside them. I carried boards, fitted insulation between the studs, learned to use a mitre saw safely and, in the final summer, helped my father build the staircase. When we moved in, I knew every wall of the house from the inside.

That experience taught me that architecture is not only drawings. It is weight, weather, cost and the patience of the people who make it. It also made me curious about the decisions our architect had made. Why was the largest window facing south? Why were the walls so thick? I learned that the house was designed to need very little heating, and I became fascinated by how buildings can work with their climate rather than against it.

Since then I have read widely about low-energy design, and last year I visited a timber library in a small Norwegian town on a family trip. The building's warm wooden interior, its daylight falling through tall narrow windows and the way it seemed to belong to the hillside made me realise that sustainable buildings can also be beautiful and generous public spaces. I sketched it for an entire afternoon.

Sketching has become a habit. My portfolio includes three sketchbooks of buildings in my town, from terraced houses to a disused railway station, and a model of a community library I designed for an empty plot near my school, built from card and balsa wood, with a planted roof and a reading room facing the morning sun.

I study art, mathematics and physics, which together reflect what I love about architecture: it is both creative and precise. I want to study architecture to learn how to design buildings that are kind to the people who use them and to the planet they stand on.`,
  },
];
