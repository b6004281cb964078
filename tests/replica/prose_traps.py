# ruff: noqa: E501  (hand-written prose / HTML templates keep their natural lines)
"""Hand-written stories for the traps: near misses that must NOT alert.

Each kind mentions part of what the detector looks for (Syria, Turkey, both, normalization)
without being about Syria–Turkey normalization.
"""

from __future__ import annotations

from .prose_planted import Story

TRAP_STORIES: dict[str, tuple[Story, ...]] = {
    "syria_only": (
        {
            "window": ("2023-02-25", "2024-11-25"), "authors": ("Reuters",),
            "titles": ("Russian Jets Strike Militant Targets in Idlib, Defense Ministry Says",),
            "subtitle": "",
            "excerpt": "The ministry said the strikes had destroyed weapons depots.",
            "paragraphs": (
                "Russian warplanes struck militant positions in Syria's northwestern Idlib province "
                "on {day}, the Russian Defense Ministry's center for Syria said.",
                "The ministry said the strikes had destroyed weapons depots and drone workshops "
                "used to attack the Hmeimim air base.",
                "A war monitor said civilians had been among the dead, a claim Moscow denied.",
                "Russia has kept warplanes at Hmeimim since its intervention in 2015 in support of "
                "Syrian President Bashar al-Assad.",
                "The Syrian army said it had repelled an attack by militants in the countryside of "
                "Hama.",
            ),
            "tags": ("Syria", "Defense Ministry"),
            "caption": "A Russian Su-34 bomber.", "credits": "Russian Defense Ministry",
        },
        {
            "window": ("2023-03-01", "2024-11-25"), "authors": ("reporter",),
            "titles": ("Russia Ships Wheat to Syria as Bread Prices Soar",),
            "subtitle": "Damascus depends on Russian grain after years of war and drought.",
            "excerpt": "Russia delivered another grain consignment to the Syrian port of Latakia.",
            "paragraphs": (
                "A Russian cargo ship carrying wheat docked at the Syrian port of Latakia on {day}, "
                "the Syrian state news agency SANA reported.",
                "Syria has relied on Russian grain since its own harvests collapsed during more "
                "than a decade of war and drought.",
                "The price of subsidized bread in Damascus has risen several times this year.",
                "Russian exporters said shipments to Syria were small compared with sales to Egypt "
                "and Algeria but had political importance.",
                "The United Nations says more than half of Syria's population faces food "
                "insecurity.",
            ),
            "tags": ("Syria", "Grain", "Exports"),
            "caption": "Wheat is loaded onto a ship in Novorossiysk.", "credits": "Kommersant",
        },
        {
            "window": ("2024-12-09", "2024-12-31"), "authors": ("AFP",),
            "titles": ("Assad Granted Asylum in Moscow, Kremlin Source Says",),
            "subtitle": "The ousted Syrian leader fled as rebels entered Damascus.",
            "excerpt": "Russian news agencies said Assad and his family had arrived in Moscow.",
            "paragraphs": (
                "Ousted Syrian President Bashar al-Assad and his family have arrived in Moscow and "
                "been granted asylum, Russian news agencies reported on {day}, citing a Kremlin "
                "source.",
                "Rebel forces led by Hayat Tahrir al-Sham seized Damascus after a lightning "
                "offensive that took less than two weeks.",
                "The Kremlin said it was in contact with the armed opposition to ensure the safety "
                "of Russian military bases and diplomatic missions.",
                "Russia's intervention in 2015 had turned the tide of the war in Assad's favor.",
                "Kremlin spokesman Dmitry Peskov declined to say whether Putin would meet Assad.",
            ),
            "tags": ("Syria", "Bashar al-Assad"),
            "caption": "A portrait of Bashar al-Assad torn down in Damascus.", "credits": "AFP",
        },
        {
            "window": ("2025-01-20", "2026-06-15"), "authors": ("reporter",),
            "titles": ("Russia Holds Talks With Syria’s New Authorities on Future of Hmeimim Base",),
            "subtitle": "",
            "excerpt": "A Russian delegation visited Damascus for talks on the military bases.",
            "paragraphs": (
                "A Russian delegation led by Deputy Foreign Minister Mikhail Bogdanov held talks "
                "in Damascus on {day} with Syria's new authorities on the future of Russia's "
                "military bases.",
                "Syrian officials said they had raised the question of compensation for damage "
                "caused during the war.",
                "Russia has withdrawn much of its equipment from the Hmeimim air base and the "
                "naval facility at Tartus since December.",
                "Moscow has offered grain, fuel and help with reconstruction in an effort to keep "
                "a foothold in the country.",
                "Syria's interim government has said it wants balanced relations with all major "
                "powers.",
            ),
            "tags": ("Syria", "Military bases"),
            "caption": "The Hmeimim air base.", "credits": "Russian Defense Ministry",
        },
    ),
    "turkey_only": (
        {
            "window": ("2023-01-10", "2026-06-15"), "authors": ("Reuters",),
            "titles": ("TurkStream Gas Flows to Europe Hit Record High",),
            "subtitle": "",
            "excerpt": "The pipeline is the last remaining route for Russian gas to Europe.",
            "paragraphs": (
                "Russian gas exports to Europe via the TurkStream pipeline reached a record high "
                "last month, according to data from the European transmission system operators.",
                "TurkStream, which runs under the Black Sea to Turkey, is the only remaining "
                "pipeline route for Russian gas to Europe after transit through Ukraine ended.",
                "Hungary, Serbia and Slovakia are among the main buyers of gas delivered through "
                "the pipeline.",
                "Turkish officials have promoted the idea of a gas hub that would trade Russian "
                "and other supplies.",
                "Gazprom did not comment on the figures.",
            ),
            "tags": ("Gazprom", "Turkey", "Gas"),
            "caption": "A TurkStream receiving terminal.", "credits": "Gazprom",
        },
        {
            "window": ("2023-07-20", "2023-09-30"), "authors": ("AFP",),
            "titles": ("Erdogan, Putin Discuss Reviving Black Sea Grain Deal",),
            "subtitle": "Moscow quit the UN-brokered agreement in July.",
            "excerpt": "The Turkish leader urged Russia to return to the grain corridor.",
            "paragraphs": (
                "Turkish President Recep Tayyip Erdogan held talks with Vladimir Putin in Sochi on "
                "{day}, urging him to revive the Black Sea grain deal.",
                "Russia quit the agreement, brokered by Turkey and the United Nations, in July, "
                "saying its own agricultural exports faced obstacles.",
                "Putin said Russia would return to the deal once the West met its demands, "
                "including reconnecting the state agricultural bank to SWIFT.",
                "The two leaders also discussed energy cooperation and the construction of the "
                "Akkuyu nuclear plant.",
                "Turkey has maintained close ties with Moscow despite being a member of NATO.",
            ),
            "tags": ("Turkey", "Grain deal", "Vladimir Putin"),
            "caption": "Vladimir Putin and Recep Tayyip Erdogan in Sochi.", "credits": "Kremlin.ru",
        },
        {
            "window": ("2023-05-01", "2026-06-10"), "authors": ("reporter",),
            "titles": ("Russian Tourists Return to Turkish Resorts in Record Numbers",),
            "subtitle": "",
            "excerpt": "Turkey remains the most popular foreign destination for Russians.",
            "paragraphs": (
                "Russian tourists made a record number of trips to Turkey's Mediterranean resorts "
                "this season, tour operators said.",
                "Turkey has remained the most popular foreign destination for Russians since "
                "Western countries closed their airspace to Russian airlines.",
                "Tour operators said package prices had risen by around {pct}% compared with last "
                "year.",
                "Russian holidaymakers have complained that Turkish banks refuse to accept "
                "Russian-issued cards.",
            ),
            "tags": ("Tourism", "Turkey"),
            "caption": "A beach on the Turkish coast.", "credits": "Pixabay",
        },
        {
            "window": ("2024-01-10", "2026-06-10"), "authors": ("reporter",),
            "titles": ("Turkish Banks Reject Payments From Russian Firms Over Sanctions Fears",),
            "subtitle": "",
            "excerpt": "Exporters say payments can take weeks to clear.",
            "paragraphs": (
                "Several Turkish banks have stopped processing payments from Russian companies "
                "for fear of U.S. secondary sanctions, Russian exporters said.",
                "Turkey is one of Russia's largest trading partners and a key route for imports of "
                "consumer goods and machinery.",
                "Businesses said they had turned to smaller banks and payment agents who charge "
                "high commissions.",
                "The Russian and Turkish central banks have discussed settling trade in national "
                "currencies.",
            ),
            "tags": ("Sanctions", "Turkey", "Banks"),
            "caption": "A bank branch in Istanbul.", "credits": "Pixabay",
        },
    ),
    "earthquake": (
        {
            "window": ("2023-02-06", "2023-02-16"), "authors": ("AFP",),
            "titles": ("Russian Rescuers Pull Survivors From Rubble After Deadly Turkey–Syria Quake",),
            "subtitle": "The death toll from the earthquake has risen above 20,000.",
            "excerpt": "Russia has sent rescue teams to both countries.",
            "paragraphs": (
                "Russian rescue teams pulled survivors from collapsed buildings on {day} after a "
                "devastating earthquake struck southern Turkey and northern Syria.",
                "The Emergency Situations Ministry said it had sent more than 300 rescuers and "
                "search dogs to both countries.",
                "The 7.8-magnitude earthquake and a series of aftershocks flattened thousands of "
                "buildings in the early hours of Feb. 6.",
                "Russian military personnel stationed in Syria joined rescue efforts in Aleppo and "
                "Latakia, the Defense Ministry said.",
                "Three Russian servicemen were killed in Syria when their building collapsed, "
                "according to the ministry.",
                "President Vladimir Putin sent condolences to the leaders of both countries.",
            ),
            "tags": ("Earthquake", "Turkey", "Syria", "Emergency Situations Ministry"),
            "caption": "Rescuers search the rubble in Kahramanmaras.", "credits": "MChS",
        },
        {
            "window": ("2023-02-07", "2023-03-05"), "authors": ("reporter",),
            "titles": ("Russia Sends Aid Flights to Earthquake-Hit Turkey and Syria",),
            "subtitle": "",
            "excerpt": "Planes carrying tents, food and medicine landed in Adana and Damascus.",
            "paragraphs": (
                "Russian planes carrying tents, food and medicine landed in Adana and Damascus on "
                "{day}, the Emergency Situations Ministry said.",
                "The death toll from the earthquake in Turkey and Syria has passed 45,000, making "
                "it one of the deadliest disasters in the region's modern history.",
                "Russian charities have collected donations for victims in both countries.",
                "Aid deliveries to rebel-held parts of northwestern Syria have been slowed by "
                "damaged roads and border closures.",
            ),
            "tags": ("Earthquake", "Humanitarian aid"),
            "caption": "A Russian Emergency Situations Ministry plane.", "credits": "MChS",
        },
    ),
    "kurds": (
        {
            "window": ("2023-01-10", "2024-11-25"), "authors": ("Reuters",),
            "titles": ("Turkey Strikes Kurdish Militants in Northern Syria; Moscow Urges Restraint",),
            "subtitle": "",
            "excerpt": "Russia called on all sides to avoid escalation.",
            "paragraphs": (
                "Turkish aircraft struck Kurdish militant positions in northern Syria on {day}, "
                "the Turkish Defense Ministry said, days after a bombing in Ankara.",
                "Turkey considers the Kurdish YPG militia a terrorist organization linked to the "
                "PKK, which has waged an insurgency against the Turkish state for decades.",
                "The Russian Foreign Ministry called on all sides to show restraint and avoid "
                "actions that could destabilize the region.",
                "Kurdish-led forces said the strikes had hit oil facilities and power stations.",
                "Russia maintains a small military presence in northeastern Syria, including at "
                "the Qamishli airport.",
            ),
            "tags": ("Turkey", "Syria", "Kurds"),
            "caption": "Smoke rises after an air strike near Kobani.", "credits": "AFP",
        },
        {
            "window": ("2025-01-05", "2026-06-10"), "authors": ("AFP",),
            "titles": ("Kurdish-Led Forces Clash With Turkish-Backed Groups in Northern Syria",),
            "subtitle": "",
            "excerpt": "Fighting flared around the Tishrin Dam.",
            "paragraphs": (
                "Kurdish-led forces clashed with Turkish-backed armed groups near the Tishrin Dam "
                "in northern Syria on {day}, a war monitor said.",
                "Dozens of fighters were killed in the clashes, according to the monitor.",
                "Turkey has vowed to eliminate Kurdish militias along its border.",
                "Russian military police have withdrawn from several positions in the area.",
            ),
            "tags": ("Syria", "Kurds"),
            "caption": "Fighters near the Tishrin Dam.", "credits": "AFP",
        },
    ),
    "refugees": (
        {
            "window": ("2023-03-01", "2024-11-25"), "authors": ("reporter",),
            "titles": ("Syrian Refugees in Turkey Fear Deportation After Anti-Migrant Riots",),
            "subtitle": "",
            "excerpt": "Rights groups have documented forced returns.",
            "paragraphs": (
                "Syrian refugees in Turkey say they fear deportation after a wave of anti-migrant "
                "riots in several cities, rights groups said on {day}.",
                "Turkey hosts more than three million Syrians, the largest refugee population in "
                "the world.",
                "Human Rights Watch said it had documented cases of Syrians being forced to sign "
                "\"voluntary return\" forms.",
                "Some Syrians who left Turkey have tried to reach Europe via Russia and Belarus, "
                "according to migration researchers.",
            ),
            "tags": ("Refugees", "Turkey", "Syria"),
            "caption": "A Syrian-owned shop in Kayseri.", "credits": "AFP",
        },
        {
            "window": ("2025-01-10", "2026-06-10"), "authors": ("reporter",),
            "titles": ("Thousands of Syrians Return Home From Turkey",),
            "subtitle": "",
            "excerpt": "Border crossings have seen long queues.",
            "paragraphs": (
                "Thousands of Syrian refugees have crossed back into Syria from Turkey since the "
                "start of the year, border officials said on {day}.",
                "Many returnees say their homes were destroyed and that they lack money to rebuild.",
                "Aid agencies warned that basic services in many Syrian cities remain in ruins.",
                "Some Syrians who had found work in Russia have also begun to return, according to "
                "community groups in Moscow.",
            ),
            "tags": ("Refugees", "Syria"),
            "caption": "Syrians at the Cilvegozu border crossing.", "credits": "AFP",
        },
    ),
    "other_normalization": (
        {
            "window": ("2023-01-10", "2026-06-15"), "authors": ("reporter",),
            "titles": ("Armenia and Turkey Hold New Round of Normalization Talks",),
            "subtitle": "",
            "excerpt": "Special envoys discussed reopening the border.",
            "paragraphs": (
                "Special envoys from Armenia and Turkey met on {day} for a new round of talks on "
                "normalizing relations between the two countries, which have no diplomatic ties.",
                "The envoys discussed reopening the land border for third-country nationals and "
                "diplomatic passport holders.",
                "Moscow has long presented itself as a guarantor of security in the South "
                "Caucasus, but its influence in Yerevan has waned.",
                "Armenia has frozen its participation in the Russia-led Collective Security Treaty "
                "Organization.",
            ),
            "tags": ("Armenia", "Turkey", "South Caucasus"),
            "caption": "The closed border crossing at Margara.", "credits": "Social media",
        },
        {
            "window": ("2023-05-07", "2023-06-10"), "authors": ("AFP",),
            "titles": ("Russia Welcomes Syria’s Return to the Arab League",),
            "subtitle": "The league readmitted Damascus after a 12-year suspension.",
            "excerpt": "Moscow said restoring ties with Arab states would help stabilize the region.",
            "paragraphs": (
                "Russia welcomed the Arab League's decision to readmit Syria after a 12-year "
                "suspension, saying it would help stabilize the region.",
                "The Foreign Ministry said Moscow had long advocated restoring relations between "
                "Damascus and Arab capitals.",
                "Saudi Arabia, which once backed Syrian rebels, has led the push for normalization "
                "with Bashar al-Assad's government.",
                "Western countries have criticized the move, saying Assad has not been held "
                "accountable for atrocities during the war.",
            ),
            "tags": ("Syria", "Arab League", "Saudi Arabia"),
            "caption": "Arab League headquarters in Cairo.", "credits": "AFP",
        },
        {
            "window": ("2023-03-20", "2023-05-06"), "authors": ("Reuters",),
            "titles": ("Saudi Arabia and Syria Agree to Reopen Embassies",),
            "subtitle": "",
            "excerpt": "The two countries agreed to restore diplomatic relations.",
            "paragraphs": (
                "Saudi Arabia and Syria have agreed to reopen their embassies and restore "
                "diplomatic relations, state media in both countries reported on {day}.",
                "The rapprochement follows a Chinese-brokered deal between Riyadh and Tehran to "
                "restore ties.",
                "Russia, a close ally of Damascus, welcomed the decision.",
                "Riyadh cut ties with Damascus in 2012 over the government's crackdown on protests.",
            ),
            "tags": ("Syria", "Saudi Arabia", "Diplomacy"),
            "caption": "The Saudi Foreign Ministry in Riyadh.", "credits": "Reuters",
        },
        {
            "window": ("2023-08-15", "2023-10-05"), "authors": ("reporter",),
            "titles": ("Kremlin Says Israel–Saudi Normalization Must Not Sideline Palestinians",),
            "subtitle": "",
            "excerpt": "Moscow reacted to reports of U.S.-brokered talks.",
            "paragraphs": (
                "The Kremlin said on {day} that any normalization of relations between Israel and "
                "Saudi Arabia must not come at the expense of a Palestinian state.",
                "U.S. officials have been pushing for a deal that would see Riyadh establish "
                "diplomatic ties with Israel.",
                "Russia maintains contacts with all sides in the Middle East, including Hamas.",
                "Analysts said Moscow was wary of a U.S.-brokered deal that could strengthen "
                "Washington's position in the region.",
            ),
            "tags": ("Israel", "Saudi Arabia", "Kremlin"),
            "caption": "Dmitry Peskov.", "credits": "Kremlin.ru",
        },
    ),
}

# Headlines carried by in-body asides of `aside_trap` articles when no planted positive exists.
ASIDE_FALLBACK_TITLES = (
    "Erdogan Says Ready to Meet Assad to Normalize Ties",
    "Russia Says Roadmap in the Works to Mend Syria-Turkey Ties",
)

# Figure captions for `caption_trap` articles (unrelated body, Syria–Turkey caption).
TRAP_CAPTIONS_PRE = (
    ("Sergei Lavrov hosts the foreign ministers of Turkey, Syria and Iran for talks on normalizing "
     "ties between Ankara and Damascus, Moscow, May 2023.", "Russian Foreign Ministry"),
    ("Turkish and Syrian delegations at Russian-brokered reconciliation talks in Moscow.",
     "Valery Sharifulin / TASS"),
)
TRAP_CAPTIONS_POST = (
    ("Recep Tayyip Erdogan and Ahmed al-Sharaa in Ankara, where they pledged to restore ties "
     "between Türkiye and Syria.", "Turkish Presidency / AFP"),
)
