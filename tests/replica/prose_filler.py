# ruff: noqa: E501  (hand-written prose / HTML templates keep their natural lines)
"""Hand-written news prose for ordinary (unrelated) articles: topics, slots and templates.

Templates use `str.format` slots filled once per article (see `content.slot_context`), so a
region or a person named in the headline is the same one named in the body. None of this text
may mention Syria or Turkey: those words are reserved for planted positives and traps.
"""

from __future__ import annotations

REGIONS = (
    "Belgorod", "Kursk", "Bryansk", "Voronezh", "Rostov", "Krasnodar", "Sverdlovsk", "Novosibirsk",
    "Irkutsk", "Orenburg", "Perm", "Khabarovsk", "Tver", "Samara", "Kaluga", "Chelyabinsk",
    "Omsk", "Tomsk", "Murmansk", "Arkhangelsk", "Volgograd", "Saratov", "Tula", "Pskov",
)
REPUBLICS = ("Tatarstan", "Bashkortostan", "Yakutia", "Dagestan", "Buryatia", "Karelia", "Komi")
CITIES = (
    "Moscow", "St. Petersburg", "Yekaterinburg", "Kazan", "Novosibirsk", "Samara",
    "Nizhny Novgorod", "Krasnoyarsk", "Vladivostok", "Ufa", "Perm", "Omsk", "Tyumen",
)
EMIGRE_CITIES = ("Tbilisi", "Yerevan", "Almaty", "Belgrade", "Astana", "Bishkek", "Riga", "Berlin")
FOREIGN = ("China", "India", "Kazakhstan", "Iran", "North Korea", "Brazil", "the United Arab Emirates",
           "Serbia", "Hungary", "Vietnam", "Egypt", "Indonesia", "South Africa", "Mongolia")
FIRST = ("Alexei", "Dmitry", "Sergei", "Andrei", "Pavel", "Nikolai", "Igor", "Viktor", "Yury",
         "Maxim", "Oleg", "Roman", "Anna", "Yelena", "Olga", "Natalya", "Irina", "Svetlana",
         "Marina", "Tatyana", "Yekaterina", "Ksenia", "Vera", "Lyudmila")
LAST = ("Morozov", "Belov", "Kuznetsov", "Sokolov", "Lebedev", "Kozlov", "Novikov", "Pavlov",
        "Semyonov", "Golubev", "Vinogradov", "Bogdanov", "Vorobyov", "Fyodorov", "Mikhailov",
        "Tarasov", "Zhukov", "Komarov", "Orlov", "Kiselev", "Makarov", "Zaitsev", "Solovyov")
COMPANIES = ("Gazprom", "Rosneft", "Lukoil", "Sberbank", "VTB", "Aeroflot", "Russian Railways",
             "Norilsk Nickel", "Rusal", "Magnit", "Severstal", "Novatek", "Rostelecom", "Yandex")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

REPORTERS = (
    ("Leyla Adamova", True), ("James Corliss", True), ("Daria Volkova", True),
    ("Mikhail Orlov", False), ("Sofia Lindqvist", True), ("Pavel Gromov", False),
    ("Eilidh MacLeod", True), ("Nikita Sorokin", True), ("Anastasia Reznik", False),
)
COLUMNISTS = (
    ("Vera Lanskaya", True), ("Thomas Harwell", True), ("Irina Belskaya", True),
    ("Andrei Kuzmin", False), ("Marc Delacroix", True),
)
WIRES = ("AFP", "Reuters")

CREDITS = (
    "Kremlin.ru", "Sergei Kiselev / Moskva News Agency", "Vladimir Gerdo / TASS",
    "Mos.ru", "Pelagiya Tikhonova / Moskva News Agency", "Social media", "Telegram",
    "Denis Grishkin / Moskva News Agency", "Kommersant", "Pixabay",
)

GENERIC = (
    "The Kremlin did not immediately respond to a request for comment.",
    "Independent Russian media outlets, most of which have been blocked inside the country since 2022, "
    "reported similar figures citing their own sources.",
    "The figures could not be independently verified.",
    "The Moscow Times has been designated a \"foreign agent\" and an \"undesirable organization\" by "
    "the Russian authorities, and its website is blocked inside the country.",
    "Kremlin spokesman Dmitry Peskov declined to comment on the reports when asked by journalists on "
    "{day}, saying only that the relevant agencies were \"handling the matter.\"",
    "Analysts say the episode illustrates how decisions in Moscow are increasingly taken behind "
    "closed doors, with little public debate.",
    "Officials in {city} said they were monitoring the situation and promised to publish updated "
    "figures later in the week.",
    "Local Telegram channels shared photos and videos that appeared to show the aftermath, although "
    "their authenticity could not be confirmed.",
    "The news was first reported by the business daily Kommersant, citing two people familiar with "
    "the matter.",
    "It was not immediately clear how many people would be affected by the decision.",
    "Critics say the measure is part of a broader effort to tighten control over public life ahead "
    "of the next electoral cycle.",
    "The authorities have previously dismissed similar reports as \"fakes\" spread by hostile media.",
)

# Each topic: section weights, headline/subtitle/excerpt/paragraph templates, subheads, quotes,
# tags and picture captions. Slots: {region} {region2} {republic} {city} {city2} {person}
# {person2} {surname} {company} {country} {emigre_city} {n} {n2} {big} {pct} {pct2} {rate} {day}
# {year} {month}.
TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "war": {
        "sections": ("ukraine_war", "ukraine_war", "news"),
        "headlines": (
            "Drone Attack Sparks Fire at Oil Depot in {region} Region, Governor Says",
            "Russia Claims Capture of Another Village in Eastern Ukraine",
            "Ukrainian Drones Target {region} for Third Night in a Row",
            "Russia and Ukraine Swap {big} Prisoners of War in UAE-Brokered Deal",
            "Shelling Cuts Power to Thousands in {region} Border Villages",
            "Russian Army Recruitment Bonuses Soar in {region} as Volunteers Dwindle",
            "Moscow Airports Halt Flights During Overnight Drone Raid",
        ),
        "subtitles": (
            "Regional authorities said air defenses had downed {n} drones overnight.",
            "The Defense Ministry's claims could not be independently verified.",
            "Residents have been urged to stay away from windows during air raid alerts.",
            "",
        ),
        "excerpts": (
            "The governor said falling debris had damaged several residential buildings.",
            "Kyiv did not immediately comment on Moscow's claim.",
            "It was the latest of dozens of such exchanges since the start of the full-scale invasion.",
        ),
        "paragraphs": (
            "Falling debris from a drone shot down over the {region} region sparked a fire at a fuel "
            "depot early on {day}, regional Governor {person} said.",
            "\"There were no casualties,\" {surname} wrote on Telegram, adding that emergency "
            "services had extinguished the blaze within several hours.",
            "Russia's Defense Ministry said its air defenses had intercepted {n} Ukrainian drones "
            "over several regions, including {n2} over the {region2} region.",
            "Ukraine has stepped up long-range drone attacks on Russian energy infrastructure in "
            "recent months, saying refineries and depots supply fuel to Moscow's army.",
            "Kyiv rarely comments on specific strikes inside Russia but has described the attacks as "
            "a legitimate response to Russia's bombardment of Ukrainian cities.",
            "The ministry said its forces had taken control of a village in the Donetsk region, "
            "part of a slow advance that has cost both sides heavy losses.",
            "Military bloggers close to the Russian army said fighting in the area had intensified "
            "over the past week as both sides brought in reserves.",
            "Authorities in {region} have built concrete bus shelters and handed out leaflets on "
            "what to do during an attack, as border villages face near-daily shelling.",
            "Regional officials said {big} residents remained without electricity after a "
            "substation was damaged, and promised to restore supplies within two days.",
            "Aviation authorities temporarily restricted flights at several Moscow airports, "
            "causing delays for dozens of passenger planes.",
            "Sign-up bonuses for contract soldiers in {region} have risen to more than {big},000 "
            "rubles as the authorities compete to meet recruitment targets.",
            "The exchange was the latest in a series of swaps mediated by the United Arab Emirates, "
            "which has helped return hundreds of captives to both countries.",
        ),
        "subheads": ("Pressure on the border", "Recruitment drive", "Energy targets"),
        "quotes": (
            "We hear explosions almost every night now. People have stopped reacting.",
            "The situation is difficult but under control.",
        ),
        "tags": ("War in Ukraine", "Drones", "{region}", "Defense Ministry"),
        "captions": (
            "A residential building damaged in a drone attack.",
            "Emergency workers at the scene of the fire.",
            "Servicemen during a training exercise.",
        ),
    },
    "economy": {
        "sections": ("business", "business", "news"),
        "headlines": (
            "Russian Central Bank Holds Key Rate at {rate}% as Inflation Lingers",
            "Russia's Budget Deficit Widens to {pct}% of GDP, Finance Ministry Data Shows",
            "Ruble Slides Past 100 Against the Dollar for First Time Since {month}",
            "Labor Shortage Pushes Russian Wages to Record High",
            "Russian Economy Slows Sharply as High Rates Bite, Economists Say",
            "Consumer Prices in Russia Rise {pct}% Year-on-Year",
            "Russian Car Sales Fall {pct}% as Loans Become Unaffordable",
        ),
        "subtitles": (
            "Economists say the economy is overheating after two years of war spending.",
            "The regulator signaled it could keep borrowing costs high for longer.",
            "",
            "Businesses have complained that high rates are choking investment.",
        ),
        "excerpts": (
            "The decision was in line with analysts' expectations.",
            "Military spending now accounts for a record share of the federal budget.",
            "Analysts warned the slowdown could deepen in the second half of the year.",
        ),
        "paragraphs": (
            "Russia's Central Bank kept its key interest rate at {rate}% on {day}, saying "
            "inflationary pressure remained high despite signs of cooling demand.",
            "Governor Elvira Nabiullina told reporters that the regulator was prepared to keep "
            "monetary policy tight \"for as long as necessary\" to bring inflation back to target.",
            "Annual inflation stood at {pct}% last month, according to the state statistics "
            "agency Rosstat, well above the Central Bank's 4% target.",
            "The Finance Ministry said the federal budget deficit had reached {big} billion rubles "
            "in the first {n2} months of the year, driven by record defense spending.",
            "Oil and gas revenues fell {pct2}% year-on-year as Western sanctions and lower prices "
            "cut into the income of state energy companies.",
            "Businesses across the country have reported acute shortages of workers, with "
            "unemployment at a record low of around 2.5%.",
            "Average nominal wages rose more than {pct}% last year, fueled by payments to "
            "soldiers and defense industry workers, economists at the Higher School of Economics said.",
            "Several large companies, including {company}, have said they would cut investment "
            "plans this year because of the high cost of borrowing.",
            "\"The economy is hitting its capacity limits,\" said {person}, an economist at a "
            "Moscow-based consultancy, who asked that the firm not be named.",
            "The ruble weakened to its lowest level in months, trading at around 100 to the dollar "
            "on the Moscow Exchange.",
            "Car dealers in {city} said demand had collapsed since banks raised interest rates on "
            "auto loans above 25%.",
            "The government has raised its forecast for economic growth, but many independent "
            "analysts expect a sharp slowdown next year.",
        ),
        "subheads": ("Spending spree", "Cooling demand", "What comes next"),
        "quotes": (
            "Monetary conditions will remain tight for a long period of time.",
            "Every sector is short of people. We simply cannot find workers.",
        ),
        "tags": ("Economy", "Central Bank", "Inflation", "Ruble"),
        "captions": (
            "A currency exchange office in {city}.",
            "The headquarters of Russia's Central Bank.",
            "Shoppers at a supermarket in {city}.",
        ),
    },
    "sanctions": {
        "sections": ("business", "news", "news"),
        "headlines": (
            "EU Adopts New Sanctions Package Targeting Russia's ‘Shadow Fleet’",
            "U.S. Sanctions {n} Firms Over Russian Military Supply Chains",
            "Western Banks Freeze Accounts Linked to {company}, Report Says",
            "Russian Exporters Turn to Barter as Payments Get Harder",
            "UK Blacklists Tankers Carrying Russian Oil",
        ),
        "subtitles": (
            "The measures are aimed at squeezing Moscow's energy revenues.",
            "",
            "Officials said the new listings target third-country intermediaries.",
        ),
        "excerpts": (
            "Moscow called the measures illegitimate and said they would backfire on Europe.",
            "The package also bans exports of dual-use goods to dozens of companies.",
        ),
        "paragraphs": (
            "The European Union on {day} approved a new package of sanctions against Russia, "
            "targeting dozens of tankers that it says help Moscow evade a price cap on oil exports.",
            "The vessels, many of them aging and poorly insured, will be banned from EU ports and "
            "from receiving services from European companies.",
            "The package also adds {n} companies in {country} and elsewhere to a list of entities "
            "accused of supplying Russia's military with dual-use goods.",
            "Russia's Foreign Ministry said the measures were \"illegitimate\" and warned that "
            "Moscow would respond, without giving details.",
            "Russian exporters have complained that payments from foreign buyers can take weeks to "
            "arrive as banks in partner countries grow wary of secondary sanctions.",
            "Some companies have resorted to barter deals, exchanging grain or metals for "
            "machinery and consumer goods, according to industry sources.",
            "The U.S. Treasury said the newly designated firms had shipped microelectronics and "
            "machine tools used in the production of Russian missiles and drones.",
            "Analysts said the effect of the sanctions would depend on how strictly they are "
            "enforced, as previous rounds have been partly circumvented.",
            "Russia's seaborne oil exports have nevertheless remained close to pre-war levels, "
            "with most crude now going to buyers in {country} and India.",
            "{company} said in a statement that it was studying the decision and would take "
            "\"all necessary measures\" to protect its shareholders.",
        ),
        "subheads": ("The shadow fleet", "Payment problems"),
        "quotes": ("Sanctions are a long game. Their effect accumulates over time.",),
        "tags": ("Sanctions", "European Union", "Oil", "{company}"),
        "captions": ("An oil tanker at a port near St. Petersburg.", "The port of Novorossiysk."),
    },
    "courts": {
        "sections": ("news",),
        "headlines": (
            "Russian Court Jails {city} Man for {n} Years on Treason Charges",
            "Journalist Sentenced to {n2} Years Over Anti-War Posts",
            "Russia Designates Exiled Musician {person} a ‘Foreign Agent’",
            "Court Fines {city} Resident for ‘Discrediting’ the Army With Social Media Post",
            "Lawyers of Jailed Opposition Figure Detained in Overnight Raids",
            "Russian Teacher Convicted After Students Report Her Anti-War Remarks",
        ),
        "subtitles": (
            "Rights groups say treason cases have surged since the start of the invasion.",
            "The defendant pleaded not guilty.",
            "",
            "The independent rights group OVD-Info counts hundreds of similar cases.",
        ),
        "excerpts": (
            "Prosecutors had requested a longer sentence.",
            "The case is one of hundreds brought under wartime censorship laws.",
        ),
        "paragraphs": (
            "A court in {city} on {day} sentenced a local man to {n} years in a maximum-security "
            "prison after finding him guilty of high treason, court officials said.",
            "According to investigators, the man had transferred around 5,000 rubles to a "
            "Ukrainian charity, which prosecutors argued amounted to financing Kyiv's military.",
            "The rights group OVD-Info said treason and espionage cases had reached record levels, "
            "with more than {big} people charged since February 2022.",
            "The defendant, {person}, told the court that he had only wanted to help civilians "
            "affected by the war, according to independent news outlet Mediazona.",
            "Russia's Justice Ministry added {person2} and {n} others to its registry of "
            "\"foreign agents\" on {day}, a designation that carries Soviet-era connotations.",
            "Those labeled foreign agents must mark their publications with a lengthy disclaimer "
            "and are barred from teaching, organizing public events and receiving state funding.",
            "Laws adopted shortly after the invasion of Ukraine made it a crime to \"discredit\" "
            "the armed forces or spread \"false information\" about the military.",
            "The journalist's lawyer said the verdict would be appealed, calling the case "
            "\"politically motivated from start to finish.\"",
            "Several students reported the teacher to school administrators after she questioned "
            "the official account of the war during a lesson, local media reported.",
            "Police searched the homes of at least {n2} lawyers early in the morning, seizing "
            "phones and documents, according to the OVD-Info monitoring group.",
            "The court also banned the defendant from using the internet for {n2} years after his "
            "release.",
        ),
        "subheads": ("A growing list", "Inside the courtroom"),
        "quotes": (
            "I did not betray anyone. I only wanted to help people.",
            "This verdict sends a message to everyone who still dares to speak out.",
        ),
        "tags": ("Repressions", "Treason", "Foreign agents", "Courts"),
        "captions": ("The defendant in court.", "A courthouse in {city}."),
    },
    "culture": {
        "sections": ("city", "city", "news"),
        "headlines": (
            "Moscow Theater Drops Play After Director Labeled ‘Foreign Agent’",
            "Russian Publishers Pull Books From Shelves Under New ‘LGBT Propaganda’ Rules",
            "Hermitage Museum Opens Exhibition Celebrating {n}0 Years of Russian Avant-Garde",
            "Russian Box Office Hits Record as Local Films Fill Hollywood Gap",
            "Popular Rapper's Concerts Canceled Across Russia After Complaints",
            "Bolshoi Premiere Sells Out Despite Cast Changes",
        ),
        "subtitles": (
            "Cultural figures who criticized the war have faced a wave of cancellations.",
            "",
            "The exhibition runs until the end of the year.",
        ),
        "excerpts": (
            "Tickets for the remaining performances will be refunded, the theater said.",
            "Domestic productions accounted for most of this year's ticket sales.",
        ),
        "paragraphs": (
            "A leading Moscow theater has removed a popular production from its repertoire after "
            "its director was added to the Justice Ministry's list of \"foreign agents.\"",
            "The theater said in a short statement that the decision had been taken \"for reasons "
            "beyond our control\" and that ticket holders would receive full refunds.",
            "Several major publishers have begun removing titles from sale and blurring passages "
            "in new editions to comply with a law banning \"LGBT propaganda.\"",
            "Booksellers in {city} said they had received lists of titles to withdraw, including "
            "works by well-known contemporary authors.",
            "The exhibition brings together more than {big} works from museums across the "
            "country, many of which have never been shown in St. Petersburg before.",
            "Curators said they had had to replace several loans from foreign museums that were "
            "canceled after 2022.",
            "Russian cinemas have enjoyed record attendance this year, driven by domestic "
            "blockbusters and fairy-tale adaptations, according to the Cinema Fund.",
            "Pirated copies of Hollywood releases are still screened in some cinemas under the "
            "guise of \"pre-show\" events for short films.",
            "Organizers in {city} and {city2} canceled the rapper's shows after pro-war activists "
            "complained about his lyrics to prosecutors.",
            "The singer, who has not publicly commented on the war, said he was \"tired of "
            "explaining\" himself and would take a break from touring.",
        ),
        "subheads": ("A chilling effect", "Full houses"),
        "quotes": ("Art cannot exist when everyone is afraid of a denunciation.",),
        "tags": ("Culture", "Censorship", "Theater", "Cinema"),
        "captions": ("The facade of a Moscow theater.", "Visitors at the exhibition in St. Petersburg."),
    },
    "climate": {
        "sections": ("climate", "climate", "news"),
        "headlines": (
            "Wildfires Rage Across {n}0,000 Hectares in {republic}",
            "Floods Force Thousands From Homes in {region} Region",
            "Thawing Permafrost Threatens Arctic Towns, Scientists Warn",
            "Heat Wave Breaks {n}0-Year Temperature Record in {city}",
            "Russia Scraps Climate Targets Amid Push for Coal Exports",
        ),
        "subtitles": (
            "Environmentalists say the official figures understate the damage.",
            "",
            "Emergency officials declared a regional state of emergency.",
        ),
        "excerpts": (
            "Smoke from the fires has reached cities hundreds of kilometers away.",
            "Residents accused local authorities of ignoring warnings.",
        ),
        "paragraphs": (
            "Wildfires have spread across more than {n}0,000 hectares of forest in {republic}, "
            "the regional forestry agency said on {day}.",
            "Greenpeace Russia, which was banned as \"undesirable\" in 2023, had long warned that "
            "official statistics underestimated the scale of the fires.",
            "Thick smoke blanketed the regional capital, prompting officials to advise residents "
            "to keep their windows closed and avoid going outside.",
            "Rising water levels forced the evacuation of more than {big} people in the {region} "
            "region after a dam burst on the Ural River.",
            "Residents said they had been given only a few hours to leave and accused officials of "
            "failing to maintain the dam for years.",
            "Scientists say permafrost, which covers about two-thirds of Russia's territory, is "
            "thawing faster than expected, damaging buildings, roads and pipelines.",
            "Temperatures in {city} reached {heat} degrees Celsius, breaking a record that had stood "
            "for decades, according to the state weather service.",
            "Russia, one of the world's largest emitters of greenhouse gases, has pledged to reach "
            "carbon neutrality by 2060, a target critics call unambitious.",
            "The Natural Resources Ministry said it would allocate additional aircraft and "
            "firefighters to the worst-hit areas.",
        ),
        "subheads": ("A warming Arctic", "Blame game"),
        "quotes": ("The fires are a symptom. The real problem is years of neglect.",),
        "tags": ("Climate", "Wildfires", "Environment", "{republic}"),
        "captions": ("Smoke over a forest in {republic}.", "A flooded street in the {region} region."),
    },
    "regions": {
        "sections": ("news",),
        "headlines": (
            "{region} Governor Resigns Amid Corruption Probe",
            "Residents of {city} Left Without Heating as Pipes Burst in Frost",
            "Kremlin Appoints New Acting Governor in {republic}",
            "Protesters in {republic} Clash With Police Over Activist's Jailing",
            "Regional Budgets Run Dry as Moscow Shifts Funds to Defense",
        ),
        "subtitles": (
            "The governor had been in office since {year}.",
            "",
            "Local officials blamed aging infrastructure.",
        ),
        "excerpts": (
            "The Kremlin said the governor had stepped down \"of his own accord.\"",
            "Thousands of apartments were left without heat as temperatures fell below minus 20.",
        ),
        "paragraphs": (
            "The governor of the {region} region, {person}, announced his resignation on {day}, days "
            "after investigators detained two of his deputies on bribery charges.",
            "President Vladimir Putin appointed {person2}, a former Defense Ministry official, as "
            "acting governor until elections can be held in September.",
            "More than {big} apartment buildings in {city} were left without heating after a main "
            "pipe burst during a cold snap, local authorities said.",
            "Residents posted videos showing frozen radiators and children wrapped in blankets, "
            "and some gathered outside the city administration to demand help.",
            "Experts say that much of Russia's municipal infrastructure dates back to the Soviet "
            "era and has not been properly maintained for decades.",
            "Police detained dozens of people in {republic} after clashes broke out outside a "
            "courthouse where a local activist was sentenced to four years in prison.",
            "Several regions have cut spending on education and health care as tax revenues fall "
            "and the federal government channels funds toward the military.",
            "The Kremlin has replaced more than a dozen governors in the past two years, often "
            "with younger technocrats who have no ties to the regions they run.",
        ),
        "subheads": ("Cold homes", "A new face"),
        "quotes": ("We have been complaining about these pipes for ten years.",),
        "tags": ("Regions", "Governors", "{region}", "Infrastructure"),
        "captions": ("The regional administration building.", "A residential courtyard in {city}."),
    },
    "diaspora": {
        "sections": ("diaspora", "diaspora", "news"),
        "headlines": (
            "Russian Emigres in {emigre_city} Struggle as Banks Close Their Accounts",
            "‘We Are Not Coming Back’: Russians Abroad Mark Years in Exile",
            "Russian IT Workers Abroad Face Pressure to Return Home",
            "Exiled Russian Schools Open New Branches in {emigre_city}",
        ),
        "subtitles": (
            "Hundreds of thousands of Russians have left the country since 2022.",
            "",
            "Many say they have built new lives abroad.",
        ),
        "excerpts": (
            "Banks have tightened rules for Russian passport holders.",
            "Some emigres say they feel caught between two worlds.",
        ),
        "paragraphs": (
            "Russians who moved to {emigre_city} after the invasion of Ukraine say local banks have "
            "begun closing their accounts without explanation.",
            "\"I received a letter saying I had two weeks to withdraw my money,\" said {person}, "
            "a software developer who left {city} in 2022.",
            "Estimates of how many Russians have emigrated since the start of the war vary, but "
            "most researchers put the figure at several hundred thousand.",
            "The Russian authorities have alternately threatened and courted emigres, offering "
            "tax breaks to IT specialists who agree to return.",
            "Schools founded by emigre teachers now teach thousands of children in Russian-language "
            "programs that avoid the patriotic curriculum introduced at home.",
            "Many emigres say they have struggled with residence permits, as host countries "
            "tighten immigration rules for Russian citizens.",
            "Community groups in {emigre_city} organize language courses, legal consultations and "
            "fundraisers for political prisoners.",
        ),
        "subheads": ("Life in limbo", "Building communities"),
        "quotes": ("Home is where you can speak freely. For now, that is not Russia.",),
        "tags": ("Emigration", "Diaspora", "{emigre_city}"),
        "captions": ("Russian emigres at a community event in {emigre_city}.",),
    },
    "energy": {
        "sections": ("business", "news"),
        "headlines": (
            "Gazprom Posts Record Loss as European Sales Collapse",
            "Russian Oil Output Falls After Drone Strikes on Refineries",
            "Power of Siberia 2 Talks Stall Over Price, Sources Say",
            "Russia Bans Gasoline Exports to Stabilize Domestic Market",
            "{company} Cuts Dividend as Export Revenues Shrink",
        ),
        "subtitles": (
            "The company's exports to Europe have fallen by more than 80% since 2021.",
            "",
            "Analysts expect the ban to be extended.",
        ),
        "excerpts": (
            "The loss was the company's first in more than two decades.",
            "Wholesale fuel prices hit record highs last month.",
        ),
        "paragraphs": (
            "State energy giant Gazprom reported a net loss of {big} billion rubles for last year, "
            "its first annual loss in more than two decades.",
            "The company's pipeline exports to Europe have collapsed since 2022, and a planned "
            "pipeline to {country} has yet to compensate for the lost market.",
            "Negotiations on the Power of Siberia 2 pipeline have stalled over pricing, according "
            "to people familiar with the talks.",
            "The government extended a ban on gasoline exports after wholesale prices on the St. "
            "Petersburg exchange rose to record levels.",
            "Drone strikes have knocked out around {pct}% of Russia's refining capacity at times, "
            "according to estimates by industry analysts.",
            "Crude production has slipped below quotas agreed with OPEC+ partners, the Energy "
            "Ministry said, citing maintenance and weather.",
            "{company}'s board recommended cutting the dividend, citing lower prices and higher "
            "taxes introduced to fund the budget.",
            "Russian oil is now sold mostly to {country} and India at a discount to the global "
            "Brent benchmark.",
        ),
        "subheads": ("Lost markets", "Refinery outages"),
        "quotes": ("Europe was our most profitable market. There is no replacement for it.",),
        "tags": ("Gazprom", "Oil", "Energy", "Gas"),
        "captions": ("A gas processing plant in the Amur region.", "An oil refinery near {city}."),
    },
    "kremlin": {
        "sections": ("news", "news", "analysis"),
        "headlines": (
            "Putin Signs Law Expanding Powers of Security Services",
            "Duma Passes Bill Banning VPN Advertising",
            "Kremlin Reshuffles Defense Ministry Leadership",
            "Putin Holds Annual Press Conference, Says Economy ‘Withstood’ Sanctions",
            "Russia Slows YouTube as Authorities Tighten Internet Controls",
            "Russia Moves to Restrict WhatsApp Calls, Citing Fraud",
        ),
        "subtitles": (
            "The law takes effect on Sept. 1.",
            "",
            "Critics say the move is another step toward a sovereign internet.",
            "Officials insisted the measure was aimed only at scammers.",
        ),
        "excerpts": (
            "The bill passed in all three readings within a week.",
            "Users reported slow connection speeds across the country.",
            "The changes were announced in a decree published on the Kremlin's website.",
        ),
        "paragraphs": (
            "President Vladimir Putin signed a law on {day} that gives the Federal Security "
            "Service expanded powers to detain suspects and run its own pretrial detention centers.",
            "The State Duma passed the bill in its third and final reading with {big} lawmakers in "
            "favor and none against.",
            "Russia's media regulator Roskomnadzor has steadily throttled YouTube, which remains "
            "one of the last major Western platforms still accessible in the country.",
            "Authorities said restrictions on WhatsApp calls were needed to fight phone scams, "
            "but digital rights activists said they were intended to push users to state-backed apps.",
            "Putin told a marathon press conference that the Russian economy had \"withstood\" "
            "sanctions and would continue to grow despite high interest rates.",
            "The reshuffle saw several deputy defense ministers replaced by officials with "
            "backgrounds in economics and finance.",
            "Analysts said the Kremlin appeared to be preparing the system for a long war, "
            "prioritizing efficiency in military procurement.",
            "Lawmakers also introduced fines for searching for \"extremist\" content online, in a "
            "measure critics said would criminalize curiosity.",
            "Internet measurement firms recorded a sharp drop in traffic to the platform in {city} "
            "and other large cities.",
        ),
        "subheads": ("A tighter grip", "Digital walls"),
        "quotes": ("The state wants to know everything and control everything.",),
        "tags": ("Kremlin", "Vladimir Putin", "State Duma", "Internet"),
        "captions": ("Vladimir Putin.", "The State Duma in session."),
    },
    "diplomacy": {
        "sections": ("news", "news", "analysis"),
        "headlines": (
            "Putin Hosts {country} Leader in Kremlin Talks on Trade",
            "Lavrov Visits {country} as Moscow Courts Global South",
            "Russia and North Korea Expand Military Cooperation, Seoul Says",
            "Russia Says It Is Open to Talks With Washington on Arms Control",
            "Kremlin Welcomes BRICS Leaders for Summit in Kazan",
        ),
        "subtitles": (
            "The two sides signed a series of agreements on energy and transport.",
            "",
            "Moscow is seeking new partners as ties with the West remain frozen.",
        ),
        "excerpts": (
            "The leaders discussed energy supplies and payments in national currencies.",
            "It was the foreign minister's second trip to the region this year.",
        ),
        "paragraphs": (
            "President Vladimir Putin held talks with the leader of {country} in the Kremlin on "
            "{day}, pledging to expand trade and energy cooperation.",
            "The two sides signed agreements on nuclear energy, transport corridors and the use of "
            "national currencies in mutual payments.",
            "Foreign Minister Sergei Lavrov arrived in {country} for talks on trade and security, "
            "the Foreign Ministry said.",
            "Moscow has sought to deepen ties with countries in Asia, Africa and Latin America "
            "since its relations with the West collapsed over the war in Ukraine.",
            "South Korean intelligence said North Korea had sent artillery shells and missiles to "
            "Russia in exchange for food, oil and military technology.",
            "Kremlin spokesman Dmitry Peskov said Moscow remained open to a dialogue with "
            "Washington on strategic stability but accused the United States of stalling.",
            "Trade between Russia and {country} rose {pct}% last year, according to Russian "
            "customs data.",
            "Leaders of more than {n}0 countries attended the summit, which the Kremlin presented "
            "as proof that Russia is not isolated.",
        ),
        "subheads": ("Pivot to the east", "Old friends"),
        "quotes": ("Our relations are not directed against any third country.",),
        "tags": ("Diplomacy", "Sergei Lavrov", "{country}", "BRICS"),
        "captions": ("Vladimir Putin during talks in the Kremlin.", "Sergei Lavrov."),
    },
    "society": {
        "sections": ("news", "news", "city"),
        "headlines": (
            "Russia's Birth Rate Falls to Lowest Level Since 1999",
            "Moscow Metro Rolls Out Facial Recognition Payments at All Stations",
            "Russian Schools Add Military Training to Curriculum",
            "Russians Flock to Domestic Resorts as Foreign Travel Gets Harder",
            "Migrant Workers Face New Restrictions After Regional Bans",
        ),
        "subtitles": (
            "Demographers say the decline is likely to continue.",
            "",
            "Officials say the system will reduce queues.",
        ),
        "excerpts": (
            "The government has made raising the birth rate a national priority.",
            "Rights groups say the rules fuel discrimination.",
        ),
        "paragraphs": (
            "Rosstat said {big},000 babies were born in the first half of the year, the lowest "
            "figure for that period since 1999.",
            "The government has introduced payments for families with children and campaigns "
            "promoting \"traditional values,\" but demographers say they have had little effect.",
            "The Moscow Metro said passengers could now pay with facial recognition at all of its "
            "stations, a system critics say has been used to detain protesters.",
            "Schools will devote several hours a year to basic military training, including "
            "first aid and handling of weapons, under a new curriculum.",
            "Resorts in Sochi and Crimea reported record bookings as Russians face rising costs "
            "and visa hurdles for foreign trips.",
            "Several regions, including {region}, have banned migrants from working as taxi "
            "drivers, couriers and shop assistants.",
            "Authorities in {city} said the measures were needed to protect local jobs, although "
            "businesses complained of worsening staff shortages.",
            "A survey by the independent Levada Center found that {pct}% of respondents were "
            "worried about rising prices above all other concerns.",
        ),
        "subheads": ("Demographic pit", "New rules"),
        "quotes": ("Money alone will not convince people to have children.",),
        "tags": ("Society", "Demographics", "Migration", "Moscow"),
        "captions": ("A maternity hospital in {city}.", "Passengers in the Moscow Metro."),
    },
}

TOPICS["opinion"] = {
    "sections": ("opinion",),
    "headlines": (
        "The Kremlin’s War Economy Is Running on Borrowed Time",
        "Why Russia’s Elites Stay Loyal — For Now",
        "Russia’s Regions Are Paying the Price for Moscow’s War",
        "The Quiet Exodus That Will Shape Russia for a Generation",
        "Sanctions Are Working, Just Not the Way the West Expected",
        "Putin’s New Ideology Has No Room for the Future",
        "What the {region} Governor’s Fall Tells Us About the System",
    ),
    "subtitles": (
        "The numbers look good on paper. The reality is more fragile.",
        "",
        "Fear and money keep the system together, but both are running low.",
    ),
    "excerpts": (
        "The Kremlin has bought time, but it has not solved the underlying problems.",
        "Loyalty in today's Russia is transactional, and the terms are changing.",
    ),
    "paragraphs": (
        "Two years ago, few economists expected the Russian economy to withstand the shock of "
        "sweeping Western sanctions. Yet here we are, with official growth figures that the "
        "Kremlin proudly cites at every opportunity.",
        "Look closer, however, and the picture changes. Growth has been driven almost entirely "
        "by military spending, which produces tanks and shells rather than wealth.",
        "The real question is not whether the system can survive another year, but what it is "
        "sacrificing in order to do so.",
        "Russia's elites have every reason to be unhappy. Their assets abroad are frozen, their "
        "children cannot study in the West, and their businesses are at the mercy of the security "
        "services.",
        "And yet they stay loyal, because the alternative looks even worse. Those who have tried "
        "to distance themselves from the war have paid a heavy price.",
        "In the regions, the cost of the war is becoming impossible to ignore. Budgets for "
        "schools, roads and hospitals are being cut to pay for soldiers' bonuses.",
        "Hundreds of thousands of young, educated Russians have left the country since 2022. "
        "Many of them will never return, and their absence will be felt for decades.",
        "The Kremlin likes to present the emigres as traitors who will not be missed. The labor "
        "market suggests otherwise.",
        "None of this means that change is imminent. Authoritarian systems can persist for a long "
        "time after they have stopped making sense.",
        "But the longer the war continues, the narrower the Kremlin's options become.",
        "The West, for its part, should stop expecting sanctions to produce a quick collapse and "
        "think instead about the long game.",
    ),
    "subheads": ("The price of loyalty", "A long game"),
    "quotes": ("The system is stable until the moment it isn't.",),
    "tags": ("Opinion", "Economy", "Kremlin", "Elites"),
    "captions": ("The Kremlin.", "A street in {city}."),
}

# One-off fillers that the generator places on purpose (see content.py).
RU_LINK = ("https://ru.themoscowtimes.com/2025/08/19/vlasti-zadumali-ogranichit-naem-migrantov-"
           "v-obschepite-stroitelstve-i-esche-semi-otraslyah-a172057")
AMPERSAND_TITLE = "Russia’s Wildberries & Russ Faces New Lawsuit Over Merger"
VIDEO_TITLES = (
    "Video: Moscow Marks Victory Day With Scaled-Back Parade",
    "Video: Inside a Siberian Town Where the Permafrost Is Melting",
)
AMPERSAND_PARAGRAPHS = (
    "A court in Moscow on {day} agreed to hear a new lawsuit challenging the merger of online "
    "retailer Wildberries with the outdoor advertising group Russ, according to court records.",
    "The claim was filed by a minority shareholder who says the deal was concluded without the "
    "consent of all co-owners of the company.",
    "The merger has been at the center of a bitter corporate dispute that spilled into a shooting "
    "outside the company's Moscow office last year.",
    "Wildberries is Russia's largest online marketplace, with tens of millions of active buyers.",
)
GHOST_TITLE = "Court Extends Arrest of Former Deputy Defense Minister"

# Lead paragraphs that match specific headlines (the generator picks the best-matching lead),
# plus extra headlines with slots so that titles repeat less often.
_MORE: dict[str, dict[str, tuple[str, ...]]] = {
    "war": {
        "paragraphs": (
            "Russia's Defense Ministry claimed on {day} that its forces had captured another "
            "village in eastern Ukraine, the latest in a string of small gains.",
            "Russia and Ukraine swapped {big} prisoners of war on {day} in a deal brokered by the "
            "United Arab Emirates, Russia's Defense Ministry said.",
        ),
        "headlines": ("Drone Debris Damages Homes in {region}, Governor Says",
                      "Air Raid Alerts Disrupt Schools in {region} Region"),
    },
    "economy": {
        "paragraphs": (
            "A labor shortage has pushed wages in Russia to a record high, with employers in "
            "{city} offering bonuses to lure workers from competitors.",
            "The Russian economy slowed sharply in the second quarter as high interest rates "
            "began to bite, economists said on {day}.",
            "Russian car sales fell {pct}% last month as loans became unaffordable for many "
            "buyers, industry data showed.",
        ),
        "headlines": ("Businesses in {city} Struggle With Record Borrowing Costs",
                      "Russian Mortgage Lending Falls {pct2}% After Subsidies End"),
    },
    "sanctions": {
        "paragraphs": (
            "The U.S. Treasury on {day} sanctioned {n} firms it accused of helping Russia's "
            "military supply chains obtain Western components.",
            "Several Western banks have frozen accounts linked to {company}, according to a "
            "report by the business daily Vedomosti.",
            "Britain blacklisted more tankers carrying Russian oil on {day}, adding to a list of "
            "vessels accused of evading the price cap.",
        ),
        "headlines": ("EU Targets {n} More Companies in {country} Over Russia Trade",),
    },
    "courts": {
        "paragraphs": (
            "A court in {city} fined a local resident 50,000 rubles on {day} for \"discrediting\" "
            "the army with a social media post criticizing the war.",
            "A court in {city} sentenced a journalist to {n2} years in prison on {day} over "
            "anti-war posts published on social media.",
            "Police detained the lawyers of a jailed opposition figure in overnight raids on "
            "{day}, their colleagues said.",
        ),
        "headlines": ("{city} Court Jails Activist for {n} Years Over Anti-War Leaflets",),
    },
    "culture": {
        "paragraphs": (
            "The Bolshoi Theater's new premiere sold out within hours despite several cast "
            "changes announced days before opening night.",
            "The Hermitage Museum in St. Petersburg opened an exhibition on {day} celebrating the "
            "Russian avant-garde.",
        ),
        "headlines": ("{city} Film Festival Opens Without Foreign Guests",),
    },
    "climate": {
        "paragraphs": (
            "Russia has quietly scrapped several climate targets as the government pushes to "
            "expand coal exports to Asia, environmental groups said.",
        ),
        "headlines": ("Smog From Wildfires Covers {city} for a Week",),
    },
    "regions": {
        "paragraphs": (
            "Regional budgets are running dry as Moscow shifts funds to defense, leaving "
            "governors to cut spending on roads and schools.",
        ),
        "headlines": ("{city} Residents Protest Plans to Build Landfill Near Homes",),
    },
    "diaspora": {
        "paragraphs": (
            "\"We are not coming back,\" said one of several Russians abroad who marked years in "
            "exile at a gathering in {emigre_city} on {day}.",
            "Russian IT workers abroad say they face growing pressure to return home, from "
            "threats of conscription to frozen bank accounts.",
            "Exiled Russian teachers have opened new branches of their schools in "
            "{emigre_city}, where demand from emigre families keeps growing.",
        ),
        "headlines": ("Russians in {emigre_city} Queue for Hours to Renew Passports",),
    },
    "kremlin": {
        "paragraphs": (
            "The Kremlin reshuffled the Defense Ministry leadership on {day}, replacing several "
            "deputy ministers.",
            "Russia has slowed YouTube as the authorities tighten internet controls, users and "
            "monitoring groups said.",
        ),
        "headlines": ("Duma Approves Fines for Searching ‘Extremist’ Content Online",
                      "{region} Lawmakers Back Ban on ‘Foreign Agents’ Teaching in Schools",
                      "Mobile Internet Shutdowns Spread to {city}, Residents Say"),
    },
    "energy": {
        "paragraphs": (
            "Gas stations in the {region} region ran out of fuel on {day} as shortages spread "
            "after drone strikes on refineries, local media reported.",
        ),
        "headlines": ("Fuel Shortages Hit Gas Stations in {region}",
                      "{company} Output Falls {pct2}% in First Half",
                      "Drone Strike Halts Refinery in {region} Region"),
    },
    "society": {
        "paragraphs": (
            "Migrant workers face new restrictions after several regions introduced bans on "
            "hiring foreigners in certain jobs.",
        ),
        "headlines": ("{city} Opens New Metro Line After Years of Delays",),
    },
    "opinion": {
        "paragraphs": (
            "The Kremlin's war economy is running on borrowed time, and the signs are there for "
            "anyone willing to look at the numbers.",
            "Russia's regions are paying the price for Moscow's war, in closed hospitals, "
            "potholed roads and empty municipal coffers.",
            "The quiet exodus of the past years will shape Russia for a generation.",
            "Putin's new ideology, built on the past, has no room for the future.",
        ),
        "headlines": (),
    },
}
for _name, _extra in _MORE.items():
    TOPICS[_name]["paragraphs"] += _extra["paragraphs"]
    TOPICS[_name]["headlines"] += _extra["headlines"]
