// Quality invariants of the propose-and-verify pipeline, on the real default model and
// the installed lexicons.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "correct/language_resources.h"
#include "correct/lexical_proposer.h"
#include "correct/rewrite_proposer.h"
#include "correct/scoring.h"
#include "correct/verifier.h"
#include "llm/context.h"
#include "model/default_model.h"
#include "ocrfix/engine.h"
#include "ocrfix/error.h"

namespace {

// The default model on the CPU, in `tier`.
ocrfix::Engine cpu_engine(const std::string& tier = "balanced") {
    ocrfix::ModelConfig config;
    config.gpu_layers = 0;
    config.tier = tier;
    return ocrfix::Engine(config);
}

// The lexical proposer's readings for `span` (its first occurrence in `text`).
std::vector<std::string> readings(const ocrfix::correct::LanguageResources& language, const std::string& text,
                                  const std::string& span) {
    std::vector<std::string> found;
    const std::size_t at = text.find(span);
    for (const auto& p : ocrfix::correct::LexicalProposer(language).propose(text))
        if (p.begin == at && p.end == at + span.size()) found.push_back(p.replacement);
    return found;
}

bool has(const std::vector<std::string>& found, const std::string& reading) {
    return std::find(found.begin(), found.end(), reading) != found.end();
}


}  // namespace


TEST(Quality, SeedExampleIsFixedByTheDefaultTier) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    OCRFIX_REQUIRE_LEXICONS();
    ocrfix::Engine engine = cpu_engine();
    const auto result = engine.run_postprocessor("Ths is a smple txt.");
    EXPECT_EQ(result.text, "This is a simple text.");
    ASSERT_EQ(result.edits.size(), 3u);
    EXPECT_EQ(result.edits[0].replacement, "This");
}

TEST(Quality, OutputIsInputPlusEditsOnRandomText) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    OCRFIX_REQUIRE_LEXICONS();
    ocrfix::Engine balanced = cpu_engine();
    ocrfix::Engine fast = cpu_engine("fast");
    // OCR-like noise over English and German words, digits, punctuation, line breaks.
    const std::vector<std::string> pieces = {"the", "tbe", "Govemment", "harbour", "rn", "shlp", "und", "nnd",
                                             "Zürich", "1842", "£3", "-", "\n", "\r\n", " ", "  ", ",", ".", "«",
                                             "ſeyn", "daß", "café", "😀", "tho", "Ths", "smple"};
    std::mt19937 random(42);
    for (int round = 0; round < 30; ++round) {
        std::string input;
        const int length = 5 + static_cast<int>(random() % 40);
        for (int i = 0; i < length; ++i) {
            input += pieces[random() % pieces.size()];
            if (random() % 3) input += " ";
        }
        for (ocrfix::Engine* engine : {&balanced, &fast}) {
            const auto result = engine->run_postprocessor(input);
            ASSERT_EQ(result.text, ocrfix::apply_edits(input, result.edits)) << input;
            std::size_t cursor = 0;
            for (const auto& edit : result.edits) {
                ASSERT_GE(edit.begin, cursor) << input;
                ASSERT_LT(edit.begin, edit.end);
                cursor = edit.end;
                // Line breaks and digits are never inside an edit.
                const std::string original = input.substr(edit.begin, edit.end - edit.begin);
                EXPECT_EQ(original.find('\n'), std::string::npos) << original;
                EXPECT_EQ(original.find_first_of("0123456789"), std::string::npos) << original;
            }
        }
    }
}

TEST(Quality, UnsupportedLanguageComesBackUnchanged) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    OCRFIX_REQUIRE_LEXICONS();
    ocrfix::Engine engine = cpu_engine();
    const std::vector<std::string> texts = {
        "Η γρήγορη καφέ αλεπού πηδά πάνω από τον τεμπέλη σκύλο, είπε ο δάσκαλος.\n",
        "Pikku kissa istui ikkunalaudalla ja katseli sadetta koko iltapäivän ajan.\n",
        "Mała dziewczynka czytała książkę w ogrodzie, a jej brat grał w piłkę.\n",
    };
    for (const auto& text : texts) {
        const auto result = engine.run_postprocessor(text);
        EXPECT_EQ(result.text, text);
        EXPECT_TRUE(result.edits.empty());
    }
}

TEST(Quality, RewriteThatAddsASentenceIsRejected) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    const auto model = ocrfix::llm::Model::load({path, 0});
    ocrfix::llm::Context context(model, {2048, 512, 0, 8});
    const std::string input = "The ship arrived at the port in the morning.";
    const std::string rewrite = "The ship arrived at the port in the morning. It was carrying wool and gold.";
    // Alignment never turns the extra sentence into an edit...
    const auto candidates = ocrfix::correct::candidates_from_rewrite(input, rewrite);
    EXPECT_TRUE(candidates.empty());
    // ...and the sentence glued onto the last word fails verification: the model finds
    // the continuation far less likely than the text as it stands.
    const std::size_t last = input.rfind("morning");
    ocrfix::correct::LmVerifier verifier(context);
    const auto gains =
        verifier.score(input, {{last, last + 7, "morning. It was carrying wool and gold"}, {last, last + 7, "mornings"}});
    EXPECT_LT(gains[0], 0.0);
    EXPECT_LT(gains[1], 0.0);
}

TEST(Quality, ATokenisedTextGetsItsMarksBack) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    OCRFIX_REQUIRE_LEXICONS();
    // Written for this test in the shape of a tokenised newspaper column. In the tiers with
    // the model, a full stop set apart before a small word is no speck to drop: `5 fr . le`
    // becomes `5 fr. le`, never `5 fr le` or `5 frle`.
    const std::string text =
        "La Grande-Bretagne , la France et l ' Italie ont signé .\nLe bureau ( rue du Rhône ) ouvre à 8 h . "
        "Prix : 5 fr . le litre , port compris .";
    for (const std::string tier : {"fast", "balanced"}) {
        ocrfix::ModelConfig config;
        config.gpu_layers = 0;
        config.tier = tier;
        config.language = "fr";
        ocrfix::Engine engine(config);
        const auto result = engine.run_postprocessor(text);
        EXPECT_EQ(result.text,
                  "La Grande-Bretagne, la France et l'Italie ont signé.\nLe bureau (rue du Rhône) ouvre à 8 h. "
                  "Prix : 5 fr. le litre, port compris.")
            << tier;
        EXPECT_EQ(ocrfix::apply_edits(text, result.edits), result.text);
    }
}

TEST(Quality, AFrenchExclamationMarkReadAsOneIsFixedWhereTheModelIsSure) {
    OCRFIX_REQUIRE_DEFAULT_MODEL(path);
    OCRFIX_REQUIRE_LEXICONS();
    ocrfix::ModelConfig config;
    config.gpu_layers = 0;
    config.language = "fr";
    ocrfix::Engine engine(config);
    // The stroke of `!` read as `1` (LM gain about 10 nats); a house number stays (below 0).
    EXPECT_EQ(engine.run_postprocessor("Ah ! quelle joie 1 Nous sommes enfin sauvés.").text,
              "Ah ! quelle joie ! Nous sommes enfin sauvés.");
    const std::string address = "Il habite au numéro 1 Rue de la Paix.";
    EXPECT_EQ(engine.run_postprocessor(address).text, address);
}

TEST(Quality, BrokenWordsAreJoinedOnlyWhenAsked) {
    OCRFIX_REQUIRE_LEXICONS();
    const auto library = ocrfix::correct::LanguageLibrary::shared();
    const auto* french = library->get("fr");
    ASSERT_NE(french, nullptr);
    const std::string text = "La réali-sation du projet et la dis tribution des vivres.";
    auto joins = [&](bool join_broken_words) {
        std::vector<std::string> found;
        for (const auto& p : ocrfix::correct::LexicalProposer(*french).propose(text, 3, join_broken_words))
            if (p.kind == ocrfix::correct::ProposalKind::join || p.kind == ocrfix::correct::ProposalKind::merge)
                found.push_back(p.replacement);
        return found;
    };
    // By default the page's breaks are conventions, not errors: nothing joins them.
    EXPECT_TRUE(joins(false).empty());
    const auto joined = joins(true);
    EXPECT_NE(std::find(joined.begin(), joined.end(), "réalisation"), joined.end());
    EXPECT_NE(std::find(joined.begin(), joined.end(), "distribution"), joined.end());
}

// The lexical proposer's readings of single words, in German, English and French.
class ProposerReadings : public ::testing::Test {
protected:
    void SetUp() override {
        OCRFIX_REQUIRE_LEXICONS();
        library_ = ocrfix::correct::LanguageLibrary::shared();
        german_ = library_->get("de");
        english_ = library_->get("en");
        french_ = library_->get("fr");
        ASSERT_NE(german_, nullptr);
        ASSERT_NE(english_, nullptr);
        ASSERT_NE(french_, nullptr);
    }
    decltype(ocrfix::correct::LanguageLibrary::shared()) library_;  // owns the resources below
    const ocrfix::correct::LanguageResources* german_ = nullptr;
    const ocrfix::correct::LanguageResources* english_ = nullptr;
    const ocrfix::correct::LanguageResources* french_ = nullptr;
};

TEST_F(ProposerReadings, TheFastTiersReachLeavesItsDecisionAsWithEveryReading) {
    // Reach::non_words makes no reading the fast tier's decision would not weigh; what it
    // weighs must come out the same. OCR-like noise over each language's common words:
    // misread letters, capitals, hyphens, guillemets, stray marks, line breaks.
    using ocrfix::correct::LexicalProposer;
    std::mt19937 random(27);
    int weighed = 0;
    for (const auto* resources : {english_, french_, german_}) {
        const auto& words = resources->lexicon->words();
        for (int round = 0; round < 40; ++round) {
            std::string input;
            for (int n = 0; n < 60; ++n) {
                std::string word = words[random() % 3000];
                if (random() % 3 == 0 && word.size() > 2) word[random() % word.size()] = "rnmceliuhb"[random() % 10];
                if (random() % 4 == 0 && !word.empty() && word[0] >= 'a' && word[0] <= 'z') word[0] = static_cast<char>(word[0] - 32);
                input += word;
                const std::vector<std::string> gaps = {" ", " ", " ", "-", " - ", "\n", "-\n", " « ", " » ", ". ", ", ", " • "};
                input += gaps[random() % gaps.size()];
            }
            auto decided = [&](LexicalProposer::Reach reach) {
                const auto proposals = LexicalProposer(*resources, reach).propose(input, 3, true);
                std::vector<std::tuple<std::size_t, std::size_t, std::string, double>> out;
                for (const auto& s : ocrfix::correct::score_without_model(proposals, 1.0))
                    out.emplace_back(s.proposal.begin, s.proposal.end, s.proposal.replacement, s.value);
                return out;
            };
            const auto all = decided(LexicalProposer::Reach::all);
            ASSERT_EQ(decided(LexicalProposer::Reach::non_words), all) << input;
            weighed += static_cast<int>(all.size());
        }
    }
    EXPECT_GT(weighed, 150);  // the noise gives the decision many readings to weigh (207 when written)
}

TEST_F(ProposerReadings, GuillemetsAreReadAsLetters) {
    const std::string german_text = "Die Zeitung de» Kantons. »Das ist gut« sagte er.";
    EXPECT_TRUE(has(readings(*german_, german_text, "de»"), "des"));
    // German quotation marks stay: no slot opens at `»Das`, and dropping `«` is no reading.
    EXPECT_TRUE(readings(*german_, german_text, "»Das").empty());
    EXPECT_FALSE(has(readings(*german_, german_text, "gut«"), "gut"));
    const std::string english_text = "Mis« Brown paid for the «teerage passage.";
    EXPECT_TRUE(has(readings(*english_, english_text, "Mis«"), "Miss"));
    EXPECT_TRUE(has(readings(*english_, english_text, "«teerage"), "steerage"));
}

TEST_F(ProposerReadings, BrokenCaseInsideAWordIsRead) {
    // `deS` folds to a known word, but as written it is none: its proper case is a reading.
    EXPECT_TRUE(has(readings(*german_, "Die Zeitung deS Kantons meldet daS Ergebnis.", "deS"), "des"));
    EXPECT_TRUE(has(readings(*german_, "Die Zeitung deS Kantons meldet daS Ergebnis.", "daS"), "das"));
    EXPECT_TRUE(has(readings(*english_, "THE LoRD MAYOR OF LONDON", "LoRD"), "LORD"));
    // A two-letter word with broken case is looked up with its confusions undone: `ll` read as `U`.
    EXPECT_TRUE(has(readings(*english_, "and aU the men went home", "aU"), "all"));
    // Names with inner capitals are not broken.
    EXPECT_FALSE(has(readings(*english_, "Mr. McCaw spoke to the meeting.", "McCaw"), "Mccaw"));
    // English CamelCase names stay; the same shape in German is Fraktur `S` for `s`.
    EXPECT_TRUE(readings(*english_, "He posted it on YouTube yesterday.", "YouTube").empty());
    EXPECT_TRUE(has(readings(*german_, "Die SonntagSarbeit ist verboten.", "SonntagSarbeit"), "Sonntagsarbeit"));
}

TEST_F(ProposerReadings, NounsAndNamesKeepTheirCapitalWhateverOCRMadeOfIt) {
    // The lexicon folds case; the spell checker knows German nouns and names only with a
    // capital, so a reading of a word whose capital OCR misread as a small letter gets it back.
    EXPECT_TRUE(has(readings(*german_, "mit seinen uügen sah er", "uügen"), "Augen"));
    EXPECT_FALSE(has(readings(*german_, "mit seinen uügen sah er", "uügen"), "augen"));
    EXPECT_TRUE(has(readings(*english_, "he went to uatralia in May", "uatralia"), "Australia"));
    // Words written small stay small, and a small first letter that is right is evidence
    // (the tail of a compound broken at a line end): it stays small.
    EXPECT_TRUE(has(readings(*english_, "He was tried for dosortlon from the army.", "dosortlon"), "desertion"));
    EXPECT_TRUE(has(readings(*german_, "mit den Jagd hundcn", "hundcn"), "hunden"));
    EXPECT_FALSE(has(readings(*german_, "mit den Jagd hundcn", "hundcn"), "Hunden"));
}

TEST_F(ProposerReadings, AMisreadWordInsideACompoundIsRead) {
    // A piece in small letters that is no word, joined by an in-line hyphen to a word with
    // which it makes no word either, is a misreading (`streot` for `street`).
    EXPECT_TRUE(has(readings(*english_, "He lived in Bathurst-streot for years.", "streot"), "street"));
    EXPECT_TRUE(has(readings(*english_, "They laid the foundatlon-stone today.", "foundatlon"), "foundation"));
    // Halves of a broken word stay (`exe-cuted` makes `executed`), and so do capitalised
    // pieces, mostly names.
    EXPECT_TRUE(readings(*english_, "The plan was exe-cuted well.", "cuted").empty());
    EXPECT_TRUE(readings(*english_, "They walked along Hillcote-crescent slowly.", "Hillcote").empty());
}

TEST_F(ProposerReadings, WordsGarbledBySeveralCheapMisreadingsAreReached) {
    // o->e twice and l->i: three plain edits, beyond a two-edit lookup, but a close reading
    // for the channel (3.2 nats).
    const std::string text = "He was tried for dosortlon from the army.";
    EXPECT_TRUE(has(readings(*english_, text, "dosortlon"), "desertion"));
    // Four o's misread, the first three letters with misreadings of their own: the likely
    // pair of o -> e comes before the unlikely ones at the word's start.
    EXPECT_TRUE(has(readings(*english_, "the Indopendonoo party", "Indopendonoo"), "Independence"));
}

TEST_F(ProposerReadings, ListedWordsGetCommonerTwinsOneCheapMisreadingAway) {
    // Real-word errors: the OCR word is in the dictionary, so only the verifier can tell.
    const std::string text = "The largo groat ship came hero at noon.";
    EXPECT_TRUE(has(readings(*english_, text, "largo"), "large"));
    EXPECT_TRUE(has(readings(*english_, text, "groat"), "great"));
    EXPECT_TRUE(has(readings(*english_, text, "hero"), "here"));
    // A twin may be one multi-letter misreading away: `li` read for `h`.
    EXPECT_TRUE(has(readings(*english_, "and lie said that", "lie"), "he"));
    // A twin must be the commoner word: `here` is not read as `hero`.
    EXPECT_FALSE(has(readings(*english_, "He came here at noon.", "here"), "hero"));
    // `Now` and `New` are too alike in frequency for a twin.
    EXPECT_FALSE(has(readings(*english_, "Now the men went home", "Now"), "New"));
    // Beyond seven letters a listed word is taken as written.
    EXPECT_TRUE(readings(*english_, "A stranger came at noon.", "stranger").empty());
    // English words only the spell checker knows, too rare for the frequency list, get
    // their common twins, whatever their length; the verifier tells them apart.
    const std::string rare = "He was cither at the coiner or mooting his friends.";
    EXPECT_TRUE(has(readings(*english_, rare, "cither"), "either"));
    EXPECT_TRUE(has(readings(*english_, rare, "coiner"), "corner"));
    EXPECT_TRUE(has(readings(*english_, rare, "mooting"), "meeting"));
}

TEST_F(ProposerReadings, SmallIReadAsACapitalMidSentence) {
    // Function words after a small word: `In` is likely a misread `in`.
    EXPECT_TRUE(has(readings(*english_, "He was lost In the storm.", "In"), "in"));
    EXPECT_TRUE(has(readings(*english_, "the ship\nIs now in port", "Is"), "is"));
    // `In`, `Into`, `Is`, `Its` also after a comma or a capitalised word; `It` and `If` there
    // mostly begin a sentence whose full stop OCR lost.
    EXPECT_TRUE(has(readings(*english_, "married in Sydney In June", "In"), "in"));
    EXPECT_TRUE(has(readings(*english_, "the Commissioner Is at present", "Is"), "is"));
    EXPECT_TRUE(has(readings(*english_, "will be arrived at, In view of it", "In"), "in"));
    EXPECT_FALSE(has(readings(*english_, "with the Smiths It was impossible", "It"), "it"));
    EXPECT_FALSE(has(readings(*english_, "arrived at Sydney If the weather", "If"), "if"));
    // Not at a sentence start, and not for nouns (`the Jury` is right).
    EXPECT_TRUE(readings(*english_, "He was lost. In the storm.", "In").empty());
    EXPECT_TRUE(readings(*english_, "He told the Jury all.", "Jury").empty());
    // English only: German writes `Ihnen` and `In` in ways this rule does not know.
    EXPECT_TRUE(readings(*german_, "Er war In der Stadt.", "In").empty());
}

TEST_F(ProposerReadings, WordsCutByAStrayMarkOrMisreadAsADigitAreRead) {
    const std::string text = "He sought his for.une at the Schoo1 and wa3 glad of h!s luck.";
    EXPECT_TRUE(has(readings(*english_, text, "for.une"), "fortune"));
    EXPECT_TRUE(has(readings(*english_, text, "h!s"), "his"));
    EXPECT_TRUE(has(readings(*english_, text, "Schoo1"), "School"));
    EXPECT_TRUE(has(readings(*english_, text, "wa3"), "was"));
    // A question mark or a double quote inside a word is a speck too.
    EXPECT_TRUE(has(readings(*english_, "the coun?ry road", "coun?ry"), "country"));
    EXPECT_TRUE(has(readings(*english_, "the m\"n of the ship", "m\"n"), "men"));
    // The unit is the slot; dropping a piece with its mark removes text and is no reading.
    EXPECT_FALSE(has(readings(*english_, "He w,is glad.", "w,is"), "is"));
    // Abbreviations, a name after a full stop, two words with a mark between them, and
    // ordinals, formats and amounts stay as they are.
    EXPECT_TRUE(readings(*english_, "See e.g. the note.", "e.g").empty());
    EXPECT_TRUE(readings(*english_, "Ask Mr.Smith now.", "Mr.Smith").empty());
    EXPECT_TRUE(readings(*english_, "Tea and/or coffee.", "and/or").empty());
    for (const std::string amount : {"1st", "4th", "8vo", "10s", "A1"})
        EXPECT_TRUE(readings(*english_, "It was the " + amount + " of them.", amount).empty()) << amount;
    // A leading digit is read as one letter, never dropped (`3lbs` is no `lbs`), and only in
    // English (`1sten` stays in German).
    EXPECT_TRUE(has(readings(*english_, "and 6atd that", "6atd"), "said"));
    EXPECT_FALSE(has(readings(*english_, "weighing 3lbs in all", "3lbs"), "lbs"));
    EXPECT_TRUE(readings(*german_, "am 1sten Mai", "1sten").empty());
}

TEST_F(ProposerReadings, ALetterWrittenThreeTimesIsRead) {
    // A reading that only drops the third letter has the word's spelling key, which guards
    // old spellings (`keepe`); but no spelling writes a letter three times.
    EXPECT_TRUE(has(readings(*english_, "the isssue of the day", "isssue"), "issue"));
    EXPECT_FALSE(has(readings(*english_, "he would keepe it", "keepe"), "keep"));
}

TEST_F(ProposerReadings, OldSpellingsAreNotModernised) {
    // Early printers wrote `u` for `v` inside a word and `v` for `u` at its start.
    EXPECT_FALSE(has(readings(*english_, "for they haue done it", "haue"), "have"));
    EXPECT_FALSE(has(readings(*english_, "and came vnto the city", "vnto"), "unto"));
    EXPECT_FALSE(has(readings(*french_, "il vint auec son frère", "auec"), "avec"));
    EXPECT_FALSE(has(readings(*english_, "by great chaunce", "chaunce"), "chance"));
    // English spelled many words with an e that came and went.
    EXPECT_FALSE(has(readings(*english_, "in those yeares they were", "yeares"), "years"));
    EXPECT_FALSE(has(readings(*english_, "as is well knowen to all", "knowen"), "known"));
    // OCR loses an e more often than it adds one: outside old texts, one is put back.
    EXPECT_TRUE(has(readings(*english_, "He came aftr the war", "aftr"), "after"));
    // In a text in early modern spelling, a common word with a final e is that spelling
    // (`worke`, `drinke`); elsewhere it is a misreading (`the facte of the matter`).
    const std::string old_text = "I must goe to my worke againe soone, and then drinke a cup with thee.";
    EXPECT_TRUE(readings(*english_, old_text, "worke").empty());
    EXPECT_TRUE(readings(*english_, old_text, "drinke").empty());
    EXPECT_FALSE(has(readings(*english_, old_text + " He entred the towne.", "entred"), "entered"));
    EXPECT_TRUE(has(readings(*english_, "It is the facte of the matter.", "facte"), "facts"));
    // A misread letter in the same places is still read (`bave` for `have`).
    EXPECT_TRUE(has(readings(*english_, "for they bave done it", "bave"), "have"));
}

TEST_F(ProposerReadings, SpecksReadAsDiacriticsAreDropped) {
    // `häben` only differs from `haben` by a spelling variant's key (ä/a), but dropping an
    // umlaut or accent the word does not have is a fix, not a modern spelling.
    EXPECT_TRUE(has(readings(*german_, "Wir häben es dürch den Wald gebracht.", "häben"), "haben"));
    EXPECT_TRUE(has(readings(*german_, "Wir häben es dürch den Wald gebracht.", "dürch"), "durch"));
    EXPECT_TRUE(has(readings(*english_, "They crossed the océan in May.", "océan"), "ocean"));
    // Old spellings still keep their own variants: `studiren` is not made `studieren`.
    EXPECT_FALSE(has(readings(*german_, "Er wollte studiren gehen.", "studiren"), "studieren"));
}

TEST_F(ProposerReadings, ALetterDoubledByFraktursUmlautIsRead) {
    // Fraktur's umlaut read as a second letter (`Knaäben`, `duünkel`) shares the word's
    // spelling key (ä/a, doubled letters), but no spelling writes such a pair: either
    // letter of it may go, and the verifier chooses.
    const std::string text = "Der Knaäben sah das duünkel Haus, hoöher als der Turm.";
    EXPECT_TRUE(has(readings(*german_, text, "Knaäben"), "Knaben"));
    EXPECT_TRUE(has(readings(*german_, text, "duünkel"), "dunkel"));
    EXPECT_TRUE(has(readings(*german_, text, "hoöher"), "höher"));
    // A letter doubled without an umlaut is still a spelling's own (`Schlosse`), and a French
    // é beside an e is no umlaut (`semblée` stays).
    EXPECT_FALSE(has(readings(*german_, "Er ging zum Schlosse hinauf.", "Schlosse"), "Schloss"));
    EXPECT_FALSE(has(readings(*french_, "Elle lui a semblée fatiguée.", "semblée"), "semble"));
}

TEST_F(ProposerReadings, AWordGarbledByManyMisreadingsIsReachedByTheChannelWalk) {
    // Three or four plain edits each, out of any lookup within two, but cheap misreadings:
    // o->e twice, u->n and ii->a in `dofoudeiit`; i->r, b->t and j->y in `pioperbj`.
    const std::string text = "Counsel for the dofoudeiit said the pioperbj was sold.";
    const auto defendant = ocrfix::correct::LexicalProposer(*english_).propose(text);
    const auto at = text.find("dofoudeiit");
    const auto found = std::find_if(defendant.begin(), defendant.end(), [&](const auto& p) {
        return p.begin == at && p.replacement == "defendant";
    });
    ASSERT_NE(found, defendant.end());
    EXPECT_EQ(found->kind, ocrfix::correct::ProposalKind::garbled);  // beyond the usual 6 nats
    EXPECT_TRUE(has(readings(*english_, text, "pioperbj"), "property"));
    // A short word gets no such walk: `lvi` has no reading three edits away.
    EXPECT_FALSE(has(readings(*english_, "He said lvi was large.", "lvi"), "large"));
}

TEST_F(ProposerReadings, ALoneSmallLetterIsReadInEnglish) {
    // `n` for `a`, `m` for `in`: English OCR's commonest misread lone letters.
    EXPECT_TRUE(has(readings(*english_, "He said n word and went m the house.", "n"), "a"));
    EXPECT_TRUE(has(readings(*english_, "He said n word and went m the house.", "m"), "in"));
    EXPECT_FALSE(has(readings(*english_, "He said n word and went m the house.", "n"), "i"));
    // A lone small `i` is no English word: the pronoun, a misread word, or a speck to drop.
    EXPECT_TRUE(has(readings(*english_, "so i have sought", "i"), "I"));
    EXPECT_TRUE(has(readings(*english_, "we found i the house", "i"), "in"));
    EXPECT_TRUE(has(readings(*english_, "he left after i the exhibition", "i the"), "the"));
    EXPECT_TRUE(readings(*german_, "er ging i das Haus", "i das").empty());
    // `v` is versus, `s` a possessive's piece, `a` a word; other languages keep their letters.
    EXPECT_TRUE(readings(*english_, "ROYLE v ROYLE.", "v").empty());
    EXPECT_TRUE(readings(*english_, "Mackenzie s Specimens", "s").empty());
    EXPECT_TRUE(readings(*english_, "Trio, m 14 and 15", "m").empty());
    EXPECT_TRUE(readings(*english_, "a word was said", "a").empty());
    EXPECT_TRUE(readings(*german_, "Er ging m das Haus.", "m").empty());
}

TEST_F(ProposerReadings, TheDigitOneBeforeASmallWordCanBeThePronoun) {
    EXPECT_TRUE(has(readings(*english_, "and 1 shall go", "1"), "I"));
    EXPECT_TRUE(has(readings(*english_, "which 1 gladly did", "1"), "I"));
    // Not before a capital, a number or the end, and not in other languages.
    EXPECT_TRUE(readings(*english_, "Burnley, 1 Blackburn", "1").empty());
    EXPECT_TRUE(readings(*english_, "Nos. 1 12", "1").empty());
    EXPECT_TRUE(readings(*english_, "Item 1.", "1").empty());
    EXPECT_TRUE(readings(*german_, "und 1 sah", "1").empty());
}

TEST_F(ProposerReadings, AMisreadCapitalMidSentenceGivesASmallReading) {
    // OCR read a small letter as a capital (`B` for `s`): mid-sentence the reading is small.
    EXPECT_TRUE(has(readings(*english_, "he walked along the Bearch for it", "Bearch"), "search"));
    EXPECT_FALSE(has(readings(*english_, "he walked along the Bearch for it", "Bearch"), "Search"));
    // After a full stop the capital is the sentence's, and next to capitalised words it may
    // be a heading's or a name's; a name keeps its capital; a reading that keeps the first
    // letter keeps its case.
    EXPECT_TRUE(has(readings(*english_, "It was late. Bearch for it", "Bearch"), "Search"));
    EXPECT_TRUE(has(readings(*english_, "at the Royal Oollege of Surgeons", "Oollege"), "College"));
    EXPECT_TRUE(has(readings(*english_, "he was a Byan man", "Byan"), "Ryan"));
    EXPECT_TRUE(has(readings(*english_, "he walked along the Bearch for it", "Bearch"), "Beach"));
}

TEST_F(ProposerReadings, ATitleBeforeANameReadOneLetterOffIsRead) {
    // The title readings alone: the lexicon may offer `Mr` for `Mt` as a twin anyway.
    auto titles = [](const ocrfix::correct::LanguageResources& language, const std::string& text) {
        std::vector<std::string> found;
        for (const auto& p : ocrfix::correct::LexicalProposer(language).propose(text))
            if (p.kind == ocrfix::correct::ProposalKind::title) found.push_back(text.substr(p.begin, p.end - p.begin) + "->" + p.replacement);
        return found;
    };
    EXPECT_TRUE(has(titles(*english_, "against Nr. Blair, who"), "Nr->Mr"));
    EXPECT_TRUE(has(titles(*english_, "have foreseen, Mra. Hill"), "Mra->Mrs"));
    EXPECT_TRUE(has(titles(*english_, "the secretary, Mt. J. Smith"), "Mt->Mr"));
    EXPECT_TRUE(has(titles(*english_, "met Mi Charles"), "Mi->Mr"));
    // Not before a small word, not a common word (`My Lord`), not in other languages.
    EXPECT_TRUE(titles(*english_, "the Mt. was high").empty());
    EXPECT_TRUE(titles(*english_, "he said My Lord").empty());
    EXPECT_TRUE(titles(*english_, "she wrote to Ms. Jones").empty());
    EXPECT_TRUE(titles(*german_, "sagte Nr. Blair").empty());
}

TEST_F(ProposerReadings, ANameInSmallCapitalsAfterATitleIsReadInCapitals) {
    // Transcriptions write small capitals as capitals: after an initial or a title, a
    // reading that keeps the capitals OCR saw is written so.
    EXPECT_TRUE(has(readings(*english_, "a new work by J. NalsoN, containing", "NalsoN"), "NELSON"));
    EXPECT_TRUE(has(readings(*english_, "the bill of Mr NalsoN was read", "NalsoN"), "NELSON"));
    // Elsewhere the word is a name like any other; and a reading that replaces a capital
    // read a misprint (`B` for `s`), not a small capital.
    EXPECT_FALSE(has(readings(*english_, "the ship NalsoN sailed", "NalsoN"), "NELSON"));
    EXPECT_TRUE(has(readings(*english_, "before Mr. JuBtico Owen", "JuBtico"), "Justice"));
    EXPECT_FALSE(has(readings(*english_, "before Mr. JuBtico Owen", "JuBtico"), "JUSTICE"));
}

TEST_F(ProposerReadings, AnAmpersandBetweenSmallWordsCanBeTheArticle) {
    EXPECT_TRUE(has(readings(*english_, "it consisted of & new hat", "&"), "a"));
    EXPECT_TRUE(has(readings(*english_, "a hat and & bushel of corn", "&"), "a"));
    // Not in a firm's name or before a capital, and not in other languages.
    EXPECT_TRUE(readings(*english_, "Smith & sons", "&").empty());
    EXPECT_TRUE(readings(*english_, "sold by Smith & Co.", "&").empty());
    EXPECT_TRUE(readings(*german_, "Salz & Pfeffer", "&").empty());
}

TEST_F(ProposerReadings, AWordBrokenAtALineEndWithoutItsHyphenIsJoinedInEnglish) {
    // OCR lost the hyphen of `suc-⏎cessor`: the pieces make a common word, they are not both
    // words, and the second goes on in small letters.
    EXPECT_TRUE(has(readings(*english_, "and his suc\ncessor was named", "suc\ncessor"), "successor"));
    EXPECT_TRUE(has(readings(*english_, "the Am\nbassador came", "Am\nbassador"), "Ambassador"));
    // Two words on two lines stay, and so does a new line starting with a capital.
    EXPECT_TRUE(readings(*english_, "he was to\nmorrow", "to\nmorrow").empty());
    EXPECT_TRUE(readings(*english_, "the com\nPany", "com\nPany").empty());
    // German transcriptions keep their break marks, which OCR lost: no join.
    EXPECT_TRUE(readings(*german_, "und be\ngleitete ihn", "be\ngleitete").empty());
}

TEST_F(ProposerReadings, AnExclamationMarkReadAsOneIsReadInFrench) {
    // French sets `!` apart; OCR reads the stroke as `1` or `I`. Before a capital, a dash or
    // the text's end, after a word in small letters.
    EXPECT_TRUE(has(readings(*french_, "Vive la nation 1 A bas les cabotins", "1"), "!"));
    EXPECT_TRUE(has(readings(*french_, "Déjà des fadeurs I - Je vous assure", "I"), "!"));
    EXPECT_TRUE(has(readings(*french_, "la mort du dernier 1", "1"), "!"));
    // An amount before a word in small letters, a numeral after a name, and English stay.
    EXPECT_FALSE(has(readings(*french_, "sur 1 pied de haut", "1"), "!"));
    EXPECT_FALSE(has(readings(*french_, "le fils de Napoléon I Le roi", "I"), "!"));
    EXPECT_FALSE(has(readings(*english_, "Vive la nation 1 A bas", "1"), "!"));
}

TEST_F(ProposerReadings, FrenchIlReadAsDigitsOrCapitalsOpeningASentenceIsRead) {
    EXPECT_TRUE(has(readings(*french_, "Il est parti. II se peut que le roi vienne.", "II"), "Il"));
    EXPECT_TRUE(has(readings(*french_, "Vous avez deviné ? 11 s'agit de ces gens.", "11"), "Il"));
    EXPECT_TRUE(has(readings(*french_, "11 faut partir.", "11"), "Il"));
    // A date, an amount and a numeral follow a word or come before a capital.
    EXPECT_TRUE(readings(*french_, "Le 11 novembre fut calme.", "11").empty());
    EXPECT_TRUE(readings(*french_, "sur 11 pouces de large", "11").empty());
    EXPECT_FALSE(has(readings(*french_, "Le roi Louis II. Le jour vint.", "II"), "Il"));
    EXPECT_FALSE(has(readings(*english_, "It was late. II se peut.", "II"), "Il"));
}

TEST_F(ProposerReadings, AWordWithALoneLetterBrokenOffIsJoined) {
    EXPECT_TRUE(has(readings(*english_, "and there w as a man", "w as"), "was"));
    EXPECT_TRUE(has(readings(*english_, "at the poli c e station", "poli c e"), "police"));
    EXPECT_TRUE(has(readings(*german_, "Er n a h m das Buch", "n a h m"), "nahm"));
    EXPECT_TRUE(readings(*german_, "Er n a h m das Buch", "Er n a").empty());
    // The pieces as written: folding would lose the ß.
    EXPECT_TRUE(has(readings(*german_, "Die Stra ß e war leer", "Stra ß e"), "Straße"));
    // With the broken-word joins on, the reading is made once.
    const auto proposals = ocrfix::correct::LexicalProposer(*english_).propose("and there w as a man", 3, true);
    EXPECT_EQ(std::count_if(proposals.begin(), proposals.end(), [](const auto& p) { return p.replacement == "was"; }), 1);
    // No slot for a part of a longer word (`o n` in `matr o n`).
    EXPECT_TRUE(has(readings(*english_, "seen by a matr o n today", "matr o n"), "matron"));
    EXPECT_TRUE(readings(*english_, "seen by a matr o n today", "o n").empty());
    // Pieces that are words, a lost apostrophe, an elision and a capital after the space stay.
    EXPECT_TRUE(readings(*english_, "he went to a ball", "a ball").empty());
    EXPECT_TRUE(readings(*english_, "at King s Cross", "King s").empty());
    EXPECT_TRUE(readings(*english_, "I don t know", "don t").empty());
    EXPECT_TRUE(readings(*french_, "la maison de l'homme", "de l").empty());
    EXPECT_TRUE(readings(*english_, "Mr. J Smith came", "J Smith").empty());
}

TEST_F(ProposerReadings, ASmallLetterReadAsACapitalOpeningAVerbFormIsRead) {
    EXPECT_TRUE(has(readings(*english_, "who was Joined as co-respondent", "Joined"), "joined"));
    EXPECT_TRUE(has(readings(*english_, "Mr. Collins (Instructed by Messrs. Boe)", "Instructed"), "instructed"));
    // Not after a capitalised word (a heading), not a word in -ed or -ing, not in German.
    EXPECT_TRUE(readings(*english_, "MAN Injured IN CRASH", "Injured").empty());
    EXPECT_FALSE(has(readings(*english_, "he met the Jury on Monday", "Jury"), "jury"));
    EXPECT_TRUE(readings(*german_, "er wurde Informiert und ging", "Informiert").empty());
}

TEST_F(ProposerReadings, ASpeckReadAsAnAccentOnAShortFrenchWordIsRead) {
    // `dé`, `lés` are listed words, but `de`, `les` are hundreds of times commoner.
    EXPECT_TRUE(has(readings(*french_, "le ministre dé la guerre", "dé"), "de"));
    EXPECT_TRUE(has(readings(*french_, "il part avec lés enfants", "lés"), "les"));
    // Longer words keep the accents of old French books.
    EXPECT_FALSE(has(readings(*french_, "ils furent consolés hier", "consolés"), "consoles"));
}

TEST_F(ProposerReadings, StrayMarksBetweenWordsCanBeDropped) {
    // The slot is the mark and the word after it, which stays: `the • house` -> `the house`.
    EXPECT_TRUE(has(readings(*english_, "He left the • house early.", "• house"), "house"));
    EXPECT_TRUE(has(readings(*english_, "He said ¦ that it was late.", "¦ that"), "that"));
    // Not a bullet at a line's start, a dash between words, spaced punctuation, nor a mark
    // touching a word.
    const auto slot_starts_at = [&](const std::string& text, const std::string& span) {
        const std::size_t at = text.find(span);
        const auto proposals = ocrfix::correct::LexicalProposer(*english_).propose(text);
        return std::any_of(proposals.begin(), proposals.end(), [&](const auto& p) { return p.begin == at; });
    };
    EXPECT_FALSE(slot_starts_at("Items:\n• bread\n• milk", "• bread"));
    EXPECT_FALSE(slot_starts_at("He came - and went.", "- and"));
    EXPECT_FALSE(slot_starts_at("He came ; and went.", "; and"));
    EXPECT_FALSE(slot_starts_at("He came •and went.", "•and"));
    // A full stop is a speck only before a small letter, and never among spaced dots; a
    // quote with another one nearby is quoting.
    EXPECT_TRUE(has(readings(*english_, "and it . was late", ". was"), "was"));
    EXPECT_FALSE(slot_starts_at("a grave consequence . The Society met", ". The"));
    EXPECT_FALSE(slot_starts_at("for instance . . . and then", ". . . and"));
    EXPECT_FALSE(slot_starts_at("for instance . . . and then", ". and"));
    EXPECT_TRUE(has(readings(*english_, "the ship ' was late", "' was"), "was"));
    EXPECT_FALSE(slot_starts_at("the steamer ' Black Eagle,' sailed", "' Black"));
    EXPECT_FALSE(slot_starts_at("I don ' t know", "' t"));
    EXPECT_FALSE(slot_starts_at("he said l ' homme came", "' homme"));
    // English: a lone `i`, and a lone `I` at a line's start, are dropped like a mark when the
    // LM finds the text better without them (`farmer for⏎I some time`), not mid-line.
    EXPECT_TRUE(has(readings(*english_, "a farmer for\nI some time", "I some"), "some"));
    EXPECT_TRUE(has(readings(*english_, "the plane three\ni weeks ago", "i weeks"), "weeks"));
    EXPECT_FALSE(slot_starts_at("and then I said so", "I said"));
    EXPECT_TRUE(readings(*german_, "ein Mann\nI sah", "I sah").empty());
}

TEST_F(ProposerReadings, AMarkStuckToAWordInSmallLettersCanBeDropped) {
    // A speck read as a mark at a word's end or start; the slot is the word with it.
    EXPECT_TRUE(has(readings(*english_, "with marked' attention to the men", "marked'"), "marked"));
    EXPECT_TRUE(has(readings(*english_, "the application is 'always followed", "'always"), "always"));
    EXPECT_TRUE(has(readings(*english_, "it is the .most attractive", ".most"), "most"));
    EXPECT_TRUE(has(readings(*english_, "with a love ,of plain truth", ",of"), "of"));
    EXPECT_TRUE(has(readings(*english_, "every species! of belief", "species!"), "species"));
    EXPECT_TRUE(has(readings(*english_, "her heart in: vain", "in:"), "in"));
    // A full stop or a comma ends a word where it stands; `!` and `:` before a capital.
    EXPECT_TRUE(readings(*english_, "he left. then he came", "left.").empty());
    EXPECT_TRUE(readings(*english_, "he said: Go home", "said:").empty());
    // Not after a plural, in an elision, before a capital, where quoting, nor in other
    // languages.
    EXPECT_TRUE(readings(*english_, "the girls' school was there", "girls'").empty());
    EXPECT_TRUE(readings(*english_, "tho' he was late", "tho'").empty());
    EXPECT_TRUE(readings(*english_, "and 'tis true", "'tis").empty());
    EXPECT_TRUE(readings(*english_, "he said 'always' and left", "'always").empty());
    EXPECT_TRUE(readings(*english_, "with marked' Attention to it", "marked'").empty());
    EXPECT_TRUE(readings(*german_, "mit marked' attention zu", "marked'").empty());
    // Elsewhere a full stop at a word's start only: `!` and `:` follow their own conventions.
    EXPECT_TRUE(has(readings(*german_, "das ist .die beste Sache", ".die"), "die"));
    EXPECT_TRUE(readings(*german_, "das ist gut! sagte er", "gut!").empty());
    EXPECT_TRUE(readings(*german_, "das heißt ,nein", ",nein").empty());
}

TEST_F(ProposerReadings, ARepeatedWordGetsTheReadingsOfItsFirstOccurrenceInPlace) {
    // The second `Govemment` is read from resources.readings (ReadingCache); its readings
    // must sit at its own offsets, and a capital counts as a name's only mid-sentence.
    const std::string text = "Govemment is slow. The Govemment will act.";
    const auto proposals = ocrfix::correct::LexicalProposer(*english_).propose(text);
    std::vector<ocrfix::correct::Proposal> first, second;
    for (const auto& p : proposals) (p.begin == 0 ? first : second).push_back(p);
    ASSERT_FALSE(first.empty());
    ASSERT_EQ(second.size(), first.size());
    const std::size_t at = text.rfind("Govemment");
    for (std::size_t k = 0; k < first.size(); ++k) {
        EXPECT_EQ(second[k].replacement, first[k].replacement);
        EXPECT_EQ(second[k].channel_cost, first[k].channel_cost);
        EXPECT_EQ(second[k].begin, at);
        EXPECT_EQ(second[k].end, at + std::string("Govemment").size());
        EXPECT_FALSE(first[k].capitalised);  // at the start of the text
        EXPECT_TRUE(second[k].capitalised);  // after `The`
    }
    EXPECT_TRUE(std::any_of(first.begin(), first.end(), [](const auto& p) { return p.replacement == "Government"; }));
}
