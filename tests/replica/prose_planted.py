# ruff: noqa: E501  (hand-written prose / HTML templates keep their natural lines)
"""Hand-written stories for the planted positives (Syria–Turkey normalization), incl. the seed.

`window` is the range of publication dates that fits the story (pre- or post-December 2024,
when Assad fell and Ankara turned to the new government of Ahmed al-Sharaa).
"""

from __future__ import annotations

from typing import Any

Story = dict[str, Any]

SEED: Story = {
    "id": 81087,
    "published": (2023, 5, 10, 14, 25),
    "title": "Russia Says Roadmap in the Works to Mend Syria-Turkey Ties",
    "subtitle": "",
    "excerpt": "The foreign ministers of Turkey and Syria held their first official meeting since "
    "the start of the Syrian civil war more than a decade ago.",
    "authors": ("AFP",),
    "tags": ("Turkey", "Syria", "Sergei Lavrov", "Iran"),
    "caption": "Iran's Foreign Minister Hossein Amir-Abdollahian, Russia's Foreign Minister Sergei "
    "Lavrov, Syria's Foreign Minister Faisal Mekdad, and Turkey's Foreign Minister Mevlut "
    "Cavusoglu (L-R).",
    "credits": "Valery Sharifulin / TASS",
    "paragraphs_before_aside": (
        "Russia said on Wednesday that a roadmap to normalize ties between Syria and Turkey will be "
        "drafted following a meeting of their foreign ministers in Moscow.",
        "Earlier Wednesday the foreign ministers of Turkey and Syria held their first official "
        "meeting since the start of the Syrian civil war more than a decade ago.",
        "The talks in the Russian capital also involved the top diplomats of Russia and Iran.",
        "The ministers had agreed to task their deputies with putting together a \"'roadmap' to "
        "advance ties between Turkey and Syria\" in coordination with the defense ministers and "
        "security services of the four countries, Moscow said in a statement.",
        "\"The ministers noted the positive and constructive atmosphere of the exchange of views "
        "and agreed to continue high-level contacts,\" the Russian Foreign Ministry added.",
    ),
    "paragraphs_after_aside": (
        "Russian Foreign Minister Sergei Lavrov said the proposals could then be put to the leaders "
        "of Iran, Russia, Syria and Turkey.",
        "\"Our task is to determine the general guidelines for further progress,\" Lavrov said at "
        "the meeting.",
        "Iran's Foreign Minister Hossein Amir-Abdollahian said Tehran welcomed the start of the "
        "talks between Syria and Turkey.",
        "\"We deeply believe that these two countries can put the past behind them and by looking "
        "to the future resolve their bilateral issues through dialogue and deepening cooperation "
        "based on good neighborliness,\" he said.",
        "He pointed to \"the transition process in the world order\" and \"the decline of American "
        "power.\"",
        "In April, Moscow also hosted four-way talks involving the countries' defense ministers.",
        "Turkey supported early rebel efforts to topple Syrian President Bashar al-Assad, keeping a "
        "military presence in northern stretches of the war-torn country that angers Damascus.",
        "Turkish President Recep Tayyip Erdogan has made up with former rivals across the region "
        "and is now courting a presidential summit with Assad.",
        "Kremlin mediation would give President Vladimir Putin diplomatic clout with Russia "
        "isolated internationally over Moscow's offensive in Ukraine.",
        "Damascus is a staunch ally of Moscow, which intervened in the civil war in 2015, launching "
        "air strikes to support the government's struggling forces.",
    ),
}

# The in-body aside of the seed points at this article, so the replica publishes it too.
SEED_RELATED: Story = {
    "published": (2023, 3, 15, 17, 40),
    "title": "Putin Eyes Rapprochement Between Syria and Turkey at Assad Meeting",
    "subtitle": "The Syrian leader is on a visit to Moscow as the Kremlin tries to broker a thaw "
    "between Damascus and Ankara.",
    "excerpt": "The Kremlin is trying to broker a rapprochement between Syria and Turkey, which backed "
    "opposing sides in the Syrian civil war.",
    "authors": ("AFP",),
    "tags": ("Syria", "Turkey", "Vladimir Putin", "Bashar al-Assad"),
    "caption": "Vladimir Putin and Bashar al-Assad at the Kremlin.",
    "credits": "Kremlin.ru",
    "paragraphs": (
        "President Vladimir Putin hosted his Syrian counterpart Bashar al-Assad in the Kremlin on "
        "Wednesday, as Moscow pushes for a rapprochement between Damascus and Ankara.",
        "The visit came as Russia prepares to host deputy foreign ministers from Syria, Turkey and "
        "Iran for talks on restoring relations between the two neighbors.",
        "Turkey and Syria cut ties after the start of the Syrian civil war in 2011, with Ankara "
        "backing rebels seeking to oust Assad.",
        "Putin praised what he called the \"constructive\" approach of all sides and said Moscow was "
        "ready to contribute to a normalization of relations between Turkey and Syria.",
        "Assad, for his part, has said any meeting with Turkish President Recep Tayyip Erdogan must "
        "be preceded by a Turkish commitment to withdraw troops from northern Syria.",
        "The defense ministers of Russia, Turkey and Syria met in Moscow in December, the first "
        "such talks between Ankara and Damascus in more than a decade.",
        "Russia has been Assad's main military backer since 2015 and maintains an air base at "
        "Hmeimim and a naval facility in Tartus.",
    ),
}

HEADLINE_STORIES: tuple[Story, ...] = (
    {
        "window": ("2023-01-02", "2023-01-20"), "authors": ("AFP",),
        "titles": ("Turkey Says Moscow Talks With Syria Were ‘Constructive’",
                   "Ankara Hails ‘Constructive’ Moscow Talks With Damascus"),
        "subtitle": "The defense ministers of Russia, Turkey and Syria met in Moscow in late "
        "December, the first such meeting in more than a decade.",
        "excerpt": "Ankara said the meeting could pave the way for a normalization of ties with "
        "Damascus.",
        "paragraphs": (
            "Turkey's Defense Ministry described talks with its Syrian and Russian counterparts in "
            "Moscow as \"constructive,\" saying the meeting could pave the way for a normalization "
            "of relations between Ankara and Damascus.",
            "The three-way meeting was the first official contact at ministerial level between "
            "Turkey and Syria since the start of the Syrian civil war in 2011.",
            "Turkish Foreign Minister Mevlut Cavusoglu said he could meet his Syrian counterpart "
            "Faisal Mekdad in the coming weeks, without giving a date.",
            "Russia has been pushing for reconciliation between the two neighbors, which backed "
            "opposing sides in the Syrian war.",
            "Analysts say President Recep Tayyip Erdogan is keen to show progress before elections, "
            "as many Turkish voters want Syrian refugees to return home.",
            "Damascus has said that any rapprochement depends on the withdrawal of Turkish troops "
            "from northern Syria.",
        ),
        "tags": ("Turkey", "Syria", "Diplomacy"), "caption": "The Russian Defense Ministry in Moscow.",
        "credits": "Moskva News Agency",
    },
    {
        "window": ("2023-01-05", "2023-02-03"), "authors": ("Reuters",),
        "titles": ("Erdogan Says Ready to Meet Assad to Normalize Ties",
                   "Erdogan Open to Assad Summit as Moscow Pushes Reconciliation"),
        "subtitle": "The Turkish president said a three-way summit with Russia could follow "
        "meetings of ministers.",
        "excerpt": "Erdogan said he could meet Syria's Assad as part of a Russian-brokered push to "
        "normalize ties.",
        "paragraphs": (
            "Turkish President Recep Tayyip Erdogan said he was ready to meet Syrian President "
            "Bashar al-Assad as part of a Russian-brokered effort to normalize ties between the "
            "two countries.",
            "Erdogan said foreign ministers would meet first, followed by a possible three-way "
            "summit of the Turkish, Syrian and Russian leaders.",
            "\"We may come together as leaders depending on developments,\" he told reporters in "
            "Ankara, according to Turkish media.",
            "Kremlin spokesman Dmitry Peskov said Moscow welcomed the contacts and was ready to "
            "host further meetings.",
            "Turkey has backed Syrian rebels and carried out several military operations in "
            "northern Syria against Kurdish militias it considers terrorists.",
            "A meeting between Erdogan and Assad would be the first since 2011, when Ankara broke "
            "off relations with Damascus.",
        ),
        "tags": ("Recep Tayyip Erdogan", "Bashar al-Assad", "Turkey", "Syria"),
        "caption": "Recep Tayyip Erdogan.", "credits": "Turkish Presidency / AFP",
    },
    {
        "window": ("2023-04-03", "2023-04-12"), "authors": ("reporter",),
        "titles": ("Deputy Foreign Ministers of Russia, Türkiye, Syria and Iran Meet in Moscow",),
        "subtitle": "The talks are meant to prepare a meeting of foreign ministers on restoring "
        "relations between Ankara and Damascus.",
        "excerpt": "Diplomats from the four countries discussed preparations for a ministerial "
        "meeting on Syrian–Turkish normalization.",
        "paragraphs": (
            "Deputy foreign ministers of Russia, Türkiye, Syria and Iran met in Moscow on {day} for "
            "talks aimed at preparing the ground for a normalization of relations between Ankara "
            "and Damascus.",
            "The Russian Foreign Ministry said the two-day talks had been held in a \"businesslike\" "
            "atmosphere and would be followed by a meeting of foreign ministers.",
            "Deputy Foreign Minister Mikhail Bogdanov, the Kremlin's Middle East envoy, chaired the "
            "talks.",
            "Syria has insisted that Turkish troops must leave its territory before relations can "
            "be restored, while Ankara wants guarantees against Kurdish militants along the border.",
            "Iran, a close ally of Damascus, joined the format for the first time.",
            "Russia has tried to position itself as the main mediator between the two former foes.",
        ),
        "tags": ("Syria", "Turkey", "Iran", "Diplomacy"),
        "caption": "The Russian Foreign Ministry building.", "credits": "Sergei Kiselev / Moskva News Agency",
    },
    {
        "window": ("2023-04-24", "2023-05-03"), "authors": ("AFP",),
        "titles": ("Russia Hosts Turkish, Syrian Defense Ministers for New Round of Talks",),
        "subtitle": "",
        "excerpt": "The defense ministers discussed \"concrete steps\" toward restoring relations "
        "between Turkey and Syria, Moscow said.",
        "paragraphs": (
            "The defense ministers of Russia, Turkey, Syria and Iran met in Moscow on {day}, the "
            "Russian Defense Ministry said, in the latest step toward reconciliation between Ankara "
            "and Damascus.",
            "The ministers discussed \"concrete steps\" to strengthen security in Syria and to "
            "restore relations between Turkey and Syria, the ministry said.",
            "Turkish Defense Minister Hulusi Akar said the talks had been held in a \"constructive "
            "atmosphere\" and that contacts would continue.",
            "The meeting came weeks before Turkey's presidential election, in which the return of "
            "millions of Syrian refugees has become a campaign issue.",
            "Moscow has hosted a series of meetings since December in a bid to mend ties between "
            "the two neighbors.",
        ),
        "tags": ("Defense Ministry", "Turkey", "Syria"),
        "caption": "Sergei Shoigu at the talks in Moscow.", "credits": "Russian Defense Ministry",
    },
    {
        "window": ("2023-06-01", "2023-07-20"), "authors": ("reporter",), "section": "analysis",
        "titles": ("Kremlin Hopes Erdogan's Re-Election Will Speed Up Syria Reconciliation",),
        "subtitle": "Moscow sees a window for an Erdogan–Assad summit, but the obstacles remain "
        "formidable.",
        "excerpt": "Russian diplomats believe a roadmap for Syrian–Turkish normalization could be "
        "agreed this year.",
        "paragraphs": (
            "With Recep Tayyip Erdogan re-elected as Turkey's president, Moscow is hoping to revive "
            "its push for a rapprochement between Ankara and Damascus.",
            "Russian diplomats say a roadmap for normalizing Syrian–Turkish relations, agreed in "
            "principle by foreign ministers in May, could be finalized by the end of the year.",
            "\"The election is over, and now there is space for compromise,\" said {person}, a "
            "Moscow-based expert on the Middle East.",
            "The main sticking point remains the presence of Turkish troops in northern Syria, "
            "which Damascus wants withdrawn before any summit takes place.",
            "Ankara, for its part, wants Syria to rein in Kurdish militias along the border and to "
            "create conditions for the return of refugees.",
            "For the Kremlin, a successful reconciliation would be a rare diplomatic win at a time "
            "when Russia is isolated by the West over the war in Ukraine.",
            "Iran, which also takes part in the talks, has publicly backed the process.",
        ),
        "tags": ("Analysis", "Turkey", "Syria", "Kremlin"),
        "caption": "Recep Tayyip Erdogan and Vladimir Putin.", "credits": "Kremlin.ru",
    },
    {
        "window": ("2023-09-05", "2023-12-20"), "authors": ("Reuters",),
        "titles": ("Lavrov Says Syria–Turkey Roadmap Stalled Over Troop Withdrawal",),
        "subtitle": "Russia's foreign minister urged both sides to return to the negotiating table.",
        "excerpt": "Work on the roadmap for Syrian–Turkish normalization has stalled, Lavrov said.",
        "paragraphs": (
            "Foreign Minister Sergei Lavrov said on {day} that work on a roadmap for normalizing "
            "relations between Syria and Turkey had stalled over the question of Turkish troops.",
            "\"We are convinced that there is no alternative to dialogue,\" Lavrov told reporters, "
            "urging Ankara and Damascus to resume the talks launched in Moscow earlier this year.",
            "Syria demands a timetable for the withdrawal of Turkish forces, while Turkey says its "
            "troops are needed to fight Kurdish militants.",
            "Lavrov said Russia and Iran were ready to host new meetings of deputy ministers to "
            "unblock the process.",
            "Diplomats say the talks have lost momentum since the Turkish election in May.",
        ),
        "tags": ("Sergei Lavrov", "Syria", "Turkey"),
        "caption": "Sergei Lavrov.", "credits": "Russian Foreign Ministry",
    },
    {
        "window": ("2024-06-28", "2024-08-10"), "authors": ("AFP",),
        "titles": ("Erdogan Says He Could Invite Assad ‘At Any Moment’ to Restore Ties",
                   "Erdogan Signals Thaw With Assad, Says Invitation Possible"),
        "subtitle": "The Turkish leader said Ankara had no intention of interfering in Syria's "
        "internal affairs.",
        "excerpt": "Erdogan said Turkey was ready to restore relations with Damascus to their former "
        "level.",
        "paragraphs": (
            "Turkish President Recep Tayyip Erdoğan said on {day} that he could invite Syrian "
            "President Bashar al-Assad to Türkiye \"at any moment\" as part of efforts to restore "
            "ties between the two countries.",
            "Erdoğan said he had asked Foreign Minister Hakan Fidan to work on a meeting, which "
            "Russia and Iraq have offered to host.",
            "Assad said last month that he was open to any initiative to improve relations, as long "
            "as it respected Syria's sovereignty.",
            "The Kremlin welcomed the statements and said President Vladimir Putin had discussed "
            "the issue with Erdoğan at a summit in Astana.",
            "A thaw between Ankara and Damascus would be the most significant shift in Syria's war "
            "in years, analysts said.",
            "Anti-Syrian riots in several Turkish cities this summer have added pressure on the "
            "government to find a way for refugees to return.",
        ),
        "tags": ("Turkey", "Syria", "Recep Tayyip Erdogan"),
        "caption": "Recep Tayyip Erdogan at a press conference.", "credits": "Turkish Presidency",
    },
    {
        "window": ("2024-08-15", "2024-11-25"), "authors": ("reporter",),
        "titles": ("Russia Offers to Host Turkish–Syrian Talks as Ankara Signals Thaw",),
        "subtitle": "Moscow says it is ready to organize a meeting between the two presidents.",
        "excerpt": "Russian officials said Moscow was ready to host a summit on Syrian–Turkish "
        "reconciliation.",
        "paragraphs": (
            "Russia is ready to host a new round of talks between Turkey and Syria, Deputy Foreign "
            "Minister Mikhail Bogdanov said on {day}, as Ankara signals interest in reconciliation.",
            "\"We are ready to provide a venue at any level,\" Bogdanov told the state news agency "
            "RIA Novosti.",
            "Turkish Foreign Minister Hakan Fidan said in an interview that Ankara wanted to "
            "normalise relations with Damascus but expected progress on border security.",
            "The two countries' intelligence chiefs have met several times, according to Turkish "
            "media reports.",
            "Russia and Iran have both said that a Syrian–Turkish reconciliation would strengthen "
            "stability in the region.",
        ),
        "tags": ("Turkey", "Syria", "Russian Foreign Ministry"),
        "caption": "Mikhail Bogdanov.", "credits": "Russian Foreign Ministry",
    },
    {
        "window": ("2024-12-20", "2025-01-10"), "authors": ("AFP",),
        "titles": ("Turkey's Fidan Visits Damascus, Meets Syria's New Leader al-Sharaa",),
        "subtitle": "It was the first visit by a Turkish foreign minister to Damascus in more than a "
        "decade.",
        "excerpt": "Hakan Fidan pledged Turkish support for Syria's reconstruction after talks with "
        "Ahmed al-Sharaa.",
        "paragraphs": (
            "Turkish Foreign Minister Hakan Fidan held talks in Damascus on {day} with Syria's new "
            "de facto leader Ahmed al-Sharaa, the first such visit in more than a decade.",
            "Fidan said Türkiye would help Syria rebuild and would work to restore diplomatic "
            "relations after the fall of Bashar al-Assad.",
            "Al-Sharaa said Syria wanted \"strategic relations\" with its northern neighbor.",
            "The Kremlin said it was in contact with the new authorities in Damascus and hoped to "
            "keep its military bases on Syria's Mediterranean coast.",
            "Assad fled to Moscow in early December after a lightning offensive by rebel groups.",
            "Türkiye is widely seen as the foreign power with the most influence over Syria's new "
            "rulers.",
        ),
        "tags": ("Syria", "Turkey", "Hakan Fidan"),
        "caption": "Hakan Fidan and Ahmed al-Sharaa in Damascus.", "credits": "Turkish Foreign Ministry",
    },
    {
        "window": ("2024-12-12", "2024-12-30"), "authors": ("Reuters",),
        "titles": ("Türkiye Reopens Embassy in Damascus After 12 Years",),
        "subtitle": "",
        "excerpt": "Ankara reopened its embassy in the Syrian capital days after Assad was ousted.",
        "paragraphs": (
            "Türkiye reopened its embassy in Damascus on {day}, 12 years after suspending its "
            "operations at the start of Syria's civil war.",
            "The move marks a first step toward restoring full diplomatic relations between Ankara "
            "and the new authorities in Damascus.",
            "Turkish officials said a new ambassador would be appointed in the coming weeks.",
            "Russia's Foreign Ministry said Moscow was closely following developments in Syria and "
            "would maintain its own embassy in Damascus.",
            "Several other countries said they were considering reopening their missions.",
        ),
        "tags": ("Turkey", "Syria", "Diplomacy"),
        "caption": "The Turkish embassy in Damascus.", "credits": "Social media",
    },
    {
        "window": ("2025-02-01", "2025-02-25"), "authors": ("reporter",),
        "titles": ("Al-Sharaa Visits Ankara as Syria and Türkiye Forge Closer Ties",),
        "subtitle": "The visit underscores how far relations have come since the fall of Assad.",
        "excerpt": "Syria's interim president discussed security and trade with Erdogan in Ankara.",
        "paragraphs": (
            "Syria's interim President Ahmed al-Sharaa held talks with Turkish President Recep "
            "Tayyip Erdogan in Ankara on {day}, his second foreign trip since taking power.",
            "The two leaders discussed security cooperation, trade and the return of refugees, "
            "according to the Turkish presidency.",
            "The meeting highlighted the rapid rapprochement between Ankara and Damascus since "
            "Bashar al-Assad fled to Moscow in December.",
            "Russian officials have said they want good relations with the new Syrian government, "
            "which is reviewing Moscow's military presence in the country.",
            "\"Turkey has become Syria's most important partner almost overnight,\" said {person}, "
            "a Russian analyst of the region.",
        ),
        "tags": ("Syria", "Turkey", "Ahmed al-Sharaa"),
        "caption": "Ahmed al-Sharaa and Recep Tayyip Erdogan in Ankara.", "credits": "Turkish Presidency",
    },
    {
        "window": ("2025-03-01", "2026-06-15"), "authors": ("reporter",),
        "titles": ("Kremlin Says It Respects Damascus’s Warming Ties With Ankara",),
        "subtitle": "Moscow is negotiating the future of its bases in Syria.",
        "excerpt": "The Kremlin said the normalization of relations between Syria and Türkiye was a "
        "matter for the two countries.",
        "paragraphs": (
            "The Kremlin said on {day} that it respected the decision of Syria's new authorities to "
            "deepen ties with Türkiye, as Moscow negotiates the future of its military bases.",
            "\"The normalization of relations between Damascus and Ankara is their sovereign "
            "matter,\" Kremlin spokesman Dmitry Peskov told reporters.",
            "Russia has kept a reduced presence at the Hmeimim air base and the port of Tartus "
            "since the fall of Bashar al-Assad.",
            "Syrian and Turkish officials have signed agreements on trade, energy and military "
            "training in recent months.",
            "Analysts say Moscow hopes to preserve a foothold in Syria by offering economic help "
            "and grain supplies.",
        ),
        "tags": ("Kremlin", "Syria", "Turkey"),
        "caption": "Dmitry Peskov.", "credits": "Kremlin.ru",
    },
    {
        "window": ("2025-05-01", "2026-06-20"), "authors": ("AFP",),
        "titles": ("Syria and Türkiye Agree to Boost Trade and Security Cooperation",),
        "subtitle": "Foreign ministers Asaad al-Shaibani and Hakan Fidan met in Ankara.",
        "excerpt": "Syria's Shaibani and Turkey's Fidan agreed to expand cooperation as relations "
        "continue to thaw.",
        "paragraphs": (
            "Syrian Foreign Minister Asaad al-Shaibani and his Turkish counterpart Hakan Fidan "
            "agreed on {day} to expand trade and security cooperation, the latest sign of the "
            "thaw between the two neighbors.",
            "The ministers discussed reopening border crossings, restoring flights and "
            "reconstruction projects, the Turkish Foreign Ministry said.",
            "Relations between Ankara and Damascus have been transformed since December 2024, when "
            "Bashar al-Assad was ousted and fled to Russia.",
            "Moscow, which once tried to broker a reconciliation between Assad and Erdogan, has "
            "watched the rapprochement from the sidelines.",
            "Russian diplomats said they were ready to cooperate with both countries on regional "
            "security.",
        ),
        "tags": ("Syria", "Turkey", "Diplomacy"),
        "caption": "Asaad al-Shaibani and Hakan Fidan in Ankara.", "credits": "Turkish Foreign Ministry",
    },
)

# Sentences for `deep` positives: the only mention, placed deep inside an unrelated story.
DEEP_MENTIONS_PRE = (
    "Moscow has for years pushed Ankara and Damascus to mend ties.",
    "The Kremlin has also tried to broker a rapprochement between Turkey and Syria, hosting talks "
    "between their foreign ministers in May 2023.",
    "Russia has hosted several rounds of talks aimed at normalizing relations between Türkiye and "
    "the Syrian government.",
    "Putin has repeatedly offered to host a meeting between Erdogan and Assad to restore ties "
    "between the two neighbors.",
    "Diplomats say Moscow still hopes to revive the stalled roadmap for reconciliation between "
    "Ankara and Damascus.",
    "Among the Kremlin's long-running projects is a thaw between Turkey and Syria, whose foreign "
    "ministers met in Moscow in 2023.",
)
DEEP_MENTIONS_POST = (
    "Russia has also watched as Türkiye moved quickly to restore relations with Syria's new "
    "government under Ahmed al-Sharaa.",
    "Ankara's rapprochement with the new authorities in Damascus has further reduced Moscow's "
    "influence in the region, analysts say.",
    "Turkish Foreign Minister Hakan Fidan's visit to Damascus, where he pledged to normalize ties "
    "with the post-Assad government, was closely watched in Moscow.",
    "The warming of relations between Ankara and Damascus since Assad's fall has left Moscow "
    "scrambling to keep its military bases.",
)

# Extra host topics for `deep` positives (same format as prose_filler.TOPICS).
DEEP_HOSTS: dict[str, dict[str, tuple[str, ...]]] = {
    "wagner": {
        "sections": ("news", "analysis"),
        "headlines": (
            "Wagner Fighters Regroup in Africa Under Defense Ministry Control",
            "Russia's Africa Corps Expands Presence in the Sahel",
        ),
        "subtitles": ("The mercenaries have been folded into a new structure.", ""),
        "excerpts": ("Moscow is rebranding its military presence on the continent.",),
        "paragraphs": (
            "Hundreds of former Wagner mercenaries have signed contracts with a new Defense "
            "Ministry-controlled force known as the Africa Corps, according to people familiar "
            "with the matter.",
            "The group's founder Yevgeny Prigozhin was killed in a plane crash in August 2023, two "
            "months after leading a short-lived mutiny against the army leadership.",
            "Russian instructors have arrived in Burkina Faso and Niger, where military juntas "
            "have expelled French troops.",
            "In Mali, the fighters have been accused by rights groups of killing civilians during "
            "operations against Islamist insurgents.",
            "Analysts say the Kremlin wants to keep Wagner's lucrative business network in Africa "
            "while bringing its commanders under tighter state control.",
            "The Defense Ministry has not publicly commented on the size of the force.",
            "Russian state media have portrayed the deployments as help for African nations "
            "fighting terrorism and \"neo-colonialism.\"",
            "Western officials say the contracts are often paid in gold and mining concessions.",
        ),
        "subheads": ("After Prigozhin",),
        "quotes": ("The brand has changed. The people and the business have not.",),
        "tags": ("Wagner", "Africa", "Defense Ministry"),
        "captions": ("Russian military instructors in Bangui.",),
    },
    "iran": {
        "sections": ("news",),
        "headlines": (
            "Russia and Iran Sign Comprehensive Strategic Partnership Treaty",
            "Iran, Russia Link Payment Systems as Trade Grows",
        ),
        "subtitles": ("The treaty does not include a mutual defense clause.", ""),
        "excerpts": ("The two sanctioned countries have drawn closer since 2022.",),
        "paragraphs": (
            "Russia and Iran signed a treaty on comprehensive strategic partnership in the Kremlin "
            "on {day}, pledging closer cooperation in trade, energy and security.",
            "The document does not include a mutual defense clause, officials said, unlike "
            "Russia's treaty with North Korea.",
            "The two countries have linked their national payment card systems, Mir and Shetab, "
            "and plan to expand trade in national currencies.",
            "Construction of the North–South transport corridor, which would connect Russia with "
            "Indian Ocean ports via Iran, has been delayed by financing problems.",
            "Western countries accuse Tehran of supplying Russia with drones and ballistic "
            "missiles, a charge Iran denies.",
            "Iranian officials said trade with Russia had grown by around {pct}% last year.",
            "The treaty was signed after years of negotiations and will be valid for 20 years.",
        ),
        "subheads": ("Sanctions partners",),
        "quotes": ("Our cooperation is not directed against anyone.",),
        "tags": ("Iran", "Diplomacy", "Sanctions"),
        "captions": ("The Russian and Iranian presidents at the Kremlin.",),
    },
}

OPINION_COLUMNS: tuple[Story, ...] = (
    {
        "window": ("2023-05-15", "2023-12-15"),
        "titles": ("Putin’s Syria–Turkey Gambit Is About More Than Peace",),
        "subtitle": "Brokering a reconciliation between Ankara and Damascus would give the Kremlin "
        "leverage over both.",
        "paragraphs": (
            "When the foreign ministers of Turkey and Syria sat down together in Moscow this year, "
            "the Kremlin presented the meeting as proof that Russia remains a serious power broker.",
            "The normalisation of relations between Ankara and Damascus has long been a Russian "
            "goal, and the reasons go beyond a desire for regional peace.",
            "A rapprochement would allow Moscow to reduce its military commitments in Syria while "
            "locking in the gains of its 2015 intervention.",
            "It would also tie Recep Tayyip Erdogan, a NATO leader, more closely to a process "
            "controlled by the Kremlin.",
            "Yet the obstacles are considerable. Damascus wants Turkish troops gone; Ankara wants "
            "guarantees against Kurdish militias that Syria cannot give.",
            "Iran, a co-sponsor of the talks, has its own interests, which do not always coincide "
            "with Moscow's.",
            "If the roadmap stalls, as it may, Russia will have lost little. If it succeeds, "
            "Vladimir Putin will claim the credit.",
        ),
        "tags": ("Opinion", "Syria", "Turkey"),
    },
    {
        "window": ("2024-07-15", "2024-11-30"),
        "titles": ("Why Erdogan Needs Assad — and Why Moscow Needs Both",),
        "subtitle": "",
        "paragraphs": (
            "Recep Tayyip Erdogan's sudden talk of inviting Bashar al-Assad to Ankara has revived a "
            "question that the Kremlin has been asking since 2022: can Turkey and Syria reconcile?",
            "For Erdogan, restoring ties with Damascus is above all about refugees. Millions of "
            "Syrians in Turkey have become a political liability.",
            "For Assad, a thaw with Ankara offers a path back to regional legitimacy and, perhaps, "
            "to reconstruction money.",
            "For Moscow, the benefits are strategic. A deal would stabilize Syria, free up Russian "
            "resources and strengthen the Astana format that Russia co-leads.",
            "But reconciliation requires trust, and there is little of it between two leaders who "
            "spent a decade trying to bring each other down.",
            "Russia's role as mediator may be its last significant diplomatic asset in the Middle "
            "East. It will not give it up easily.",
        ),
        "tags": ("Opinion", "Turkey", "Syria", "Kremlin"),
    },
    {
        "window": ("2025-01-10", "2025-07-01"),
        "titles": ("Türkiye’s Embrace of the New Syria Is Russia’s Loss",),
        "subtitle": "Ankara has achieved in weeks what Moscow failed to broker in years.",
        "paragraphs": (
            "For two years, Russia tried to engineer a rapprochement between Türkiye and Bashar "
            "al-Assad. It failed. Now Ankara has normalized relations with Damascus without "
            "Moscow's help.",
            "The fall of Assad in December 2024 transformed Türkiye from an adversary of the Syrian "
            "government into its closest foreign partner.",
            "Turkish ministers now visit Damascus regularly, the embassy has reopened, and trade is "
            "recovering.",
            "Russia, meanwhile, is negotiating for the right to keep its bases at Hmeimim and "
            "Tartus with the very people it bombed for nearly a decade.",
            "The lesson for the Kremlin is uncomfortable: influence built on military force alone "
            "can evaporate overnight.",
        ),
        "tags": ("Opinion", "Syria", "Turkey"),
    },
    {
        "window": ("2025-07-15", "2026-06-18"),
        "titles": ("The Ankara–Damascus Thaw Leaves the Kremlin on the Sidelines",),
        "subtitle": "",
        "paragraphs": (
            "The steady warming of relations between Ankara and Damascus has become one of the "
            "defining stories of the post-Assad Middle East.",
            "Turkish companies are rebuilding Syrian power plants, and the two governments are "
            "coordinating on border security and the return of refugees.",
            "Moscow, which spent years trying to broker a reconciliation between the two "
            "neighbors, is now a bystander.",
            "Russian officials insist that relations with the new Syria are constructive. The "
            "reality is that the Kremlin has little to offer that Türkiye cannot.",
            "The irony is hard to miss: the normalization Russia wanted has happened, but on terms "
            "that weaken rather than strengthen its position.",
        ),
        "tags": ("Opinion", "Turkey", "Syria", "Kremlin"),
    },
)

SUBTITLE_ONLY: tuple[Story, ...] = (
    {
        "window": ("2023-02-20", "2024-11-20"), "authors": ("reporter",),
        "titles": ("Lavrov Heads to the Gulf on Regional Tour",),
        "subtitle": "Russia's top diplomat is also expected to discuss efforts to mend ties between "
        "Ankara and Damascus.",
        "excerpt": "Sergei Lavrov will hold talks in Riyadh and Abu Dhabi this week.",
        "paragraphs": (
            "Foreign Minister Sergei Lavrov will visit Saudi Arabia and the United Arab Emirates "
            "this week for talks on energy, trade and regional security, the Foreign Ministry said.",
            "Lavrov is expected to discuss coordination within the OPEC+ alliance, which has "
            "agreed to cut oil output several times since 2022.",
            "Trade between Russia and the Gulf states has grown rapidly as Russian businesses and "
            "wealthy individuals move assets to Dubai.",
            "The minister will also meet the secretary general of the Gulf Cooperation Council.",
        ),
        "tags": ("Sergei Lavrov", "Saudi Arabia", "UAE"),
    },
    {
        "window": ("2025-01-15", "2026-06-10"), "authors": ("reporter",), "section": "analysis",
        "titles": ("Kremlin Reviews Middle East Strategy After a Year of Upheaval",),
        "subtitle": "Moscow is adjusting to Türkiye's rapprochement with Syria's new leadership.",
        "excerpt": "Russian diplomats are rethinking the country's approach to the region.",
        "paragraphs": (
            "Russian officials are reviewing the country's Middle East strategy after a year that "
            "upended many of Moscow's long-held assumptions about the region.",
            "Diplomats say the priority is to preserve economic ties with the Gulf states and to "
            "keep channels open to all sides.",
            "\"We are pragmatic. We work with whoever is in power,\" a senior diplomat told "
            "reporters on condition of anonymity.",
            "Experts at Moscow think tanks have urged the Kremlin to invest more in trade and less "
            "in military deployments.",
        ),
        "tags": ("Kremlin", "Middle East", "Analysis"),
    },
)

TITLE_ONLY: tuple[Story, ...] = (
    {
        "window": ("2023-02-01", "2024-11-30"), "authors": (),
        "titles": ("Kremlin Says Erdogan–Assad Meeting Possible ‘When Conditions Are Right’",),
        "subtitle": "",
        "excerpt": "Peskov said Moscow would continue its mediation efforts.",
        "paragraphs": (
            "Kremlin spokesman Dmitry Peskov said on {day} that a meeting between the two leaders "
            "was possible \"when conditions are right,\" adding that Moscow would continue its "
            "mediation.",
            "Peskov did not give a timeline.",
        ),
        "tags": ("Kremlin", "Dmitry Peskov"),
    },
    {
        "window": ("2025-01-05", "2026-06-20"), "authors": (),
        "titles": ("Peskov: Moscow Welcomes Normalization Between Türkiye and Syria",),
        "subtitle": "",
        "excerpt": "The Kremlin said it wanted good relations with both countries.",
        "paragraphs": (
            "The Kremlin welcomes any steps that strengthen stability in the region, spokesman "
            "Dmitry Peskov told reporters on {day}.",
            "Peskov said Russia wanted to maintain good relations with both countries and was in "
            "contact with their leaders.",
            "He declined to comment on the future of Russia's military presence in the region.",
        ),
        "tags": ("Kremlin", "Dmitry Peskov"),
    },
)
