// Prints every proposal of the lexical proposer for each record of JSONL files ({id, lang,
// ocr}), one JSON line per record, with and without joins of broken words. A refactoring of
// the proposer must leave this output byte-identical (compare two builds' dumps with cmp).
//
//   dump_proposals ../shared/data/ocr-pairs/dev/*.jsonl > proposals.jsonl
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "correct/language_resources.h"
#include "correct/lexical_proposer.h"

int main(int argc, char** argv) {
    using ocrfix::correct::Proposal;
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE.jsonl...\n", argv[0]);
        return 2;
    }
    auto library = ocrfix::correct::LanguageLibrary::shared();
    std::size_t records = 0, proposals = 0;
    for (int a = 1; a < argc; ++a) {
        std::ifstream in(argv[a]);
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty()) continue;
            const auto record = nlohmann::json::parse(line);
            const std::string text = record.at("ocr").get<std::string>();
            const std::string language = record.value("lang", std::string());
            nlohmann::json out;
            out["id"] = record.value("id", std::string());
            const auto* resources = library->get(language);
            for (const bool join : {false, true}) {
                nlohmann::json list = nlohmann::json::array();
                if (resources)
                    for (const Proposal& p : ocrfix::correct::LexicalProposer(*resources).propose(text, 3, join)) {
                        list.push_back({p.begin, p.end, p.replacement, ocrfix::correct::to_string(p.kind),
                                        ocrfix::correct::source_of(p), p.channel_cost, p.log_prior, p.capitalised});
                        ++proposals;
                    }
                out[join ? "joined" : "plain"] = std::move(list);
            }
            ++records;
            std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
        }
    }
    std::fprintf(stderr, "%zu records, %zu proposals\n", records, proposals);
    return 0;
}
