// The decide stage (correct/decide.h): scored proposals and convention edits in, the edits
// of the result out. Also the convention edits themselves (correct/conventions.h).
//
// Input: a 16-bit text length and the text; a byte for the profile (line-end hyphens,
// straight apostrophes) and the language; then proposals: begin and end inside the text,
// a replacement, and a margin that is either a small number or eight raw bytes (NaN and
// infinities included: a corrupt model can hand those to the decision).
//
// Invariants of convention_edits: inside the text, each replacing something, on code point
// boundaries of valid text, and with valid UTF-8 replacements.
// Invariants of decide:
// - the edits apply (sorted, no overlaps, inside the text): apply_edits never throws;
// - every reading accepted has a positive margin, the best of its slot, and came from a
//   proposal; every other edit is a convention edit;
// - a slot with a positive margin is accepted or loses to an accepted reading over it;
// - a convention left out overlaps an accepted edit or yields to a reading it touches.
#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "correct/conventions.h"
#include "correct/decide.h"
#include "fuzz_support.h"
#include "ocrfix/edit.h"
#include "ocrfix/error.h"
#include "text/utf8.h"

namespace {

using ocrfix::Edit;
using ocrfix::correct::ConventionEdit;
using ocrfix::correct::Scored;

bool is_boundary(std::string_view text, std::size_t at) {
    return at == text.size() || (static_cast<unsigned char>(text[at]) & 0xC0) != 0x80;
}

bool overlaps(const Edit& edit, std::size_t begin, std::size_t end) {
    return begin < edit.end && edit.begin < end;
}

void check_conventions(std::string_view text, const std::vector<ConventionEdit>& conventions) {
    const bool valid = !ocrfix::text::find_invalid_utf8(text);
    for (const auto& convention : conventions) {
        const Edit& edit = convention.edit;
        FUZZ_CHECK(edit.begin < edit.end && edit.end <= text.size());
        FUZZ_CHECK(text.substr(edit.begin, edit.end - edit.begin) != edit.replacement);
        FUZZ_CHECK(!ocrfix::text::find_invalid_utf8(edit.replacement));
        if (valid) FUZZ_CHECK(is_boundary(text, edit.begin) && is_boundary(text, edit.end));
    }
}

std::vector<Scored> read_proposals(std::string_view text, ocrfix::fuzz::ByteReader& reader) {
    std::vector<Scored> scored;
    while (!reader.empty() && scored.size() < 48) {
        Scored item;
        item.proposal.begin = reader.u16() % (text.size() + 1);
        item.proposal.end = item.proposal.begin + reader.u16() % (text.size() - item.proposal.begin + 1);
        item.proposal.replacement = std::string(reader.bytes(reader.byte() % 8));
        const std::uint8_t kind = reader.byte();
        item.value = kind < 16 ? reader.raw_double() : (kind - 128) / 16.0;
        item.source = "fuzz";
        scored.push_back(std::move(item));
    }
    return scored;
}

void check_decision(std::string_view text, const std::vector<Scored>& scored,
                    const std::vector<ConventionEdit>& conventions, const std::vector<Edit>& edits) {
    std::size_t cursor = 0;
    for (const Edit& edit : edits) {
        FUZZ_CHECK(edit.begin >= cursor && edit.begin <= edit.end && edit.end <= text.size());
        cursor = edit.end;
    }
    try {
        (void)ocrfix::apply_edits(text, edits);
    } catch (const ocrfix::Error&) {
        FUZZ_CHECK(!"decide() returned edits that apply_edits refuses");
    }

    // The best positive margin of each slot.
    std::map<std::pair<std::size_t, std::size_t>, double> best;
    for (const auto& item : scored) {
        if (!(item.value > 0.0)) continue;
        const auto key = std::make_pair(item.proposal.begin, item.proposal.end);
        const auto found = best.find(key);
        if (found == best.end() || item.value > found->second) best[key] = item.value;
    }
    std::vector<Edit> readings;
    for (const Edit& edit : edits) {
        if (edit.source != "fuzz") {
            FUZZ_CHECK(std::any_of(conventions.begin(), conventions.end(),
                                   [&](const ConventionEdit& c) { return c.edit == edit; }));
            continue;
        }
        FUZZ_CHECK(edit.score > 0.0);
        FUZZ_CHECK(edit.score == best.at({edit.begin, edit.end}));
        FUZZ_CHECK(std::any_of(scored.begin(), scored.end(), [&](const Scored& item) {
            return item.proposal.begin == edit.begin && item.proposal.end == edit.end &&
                   item.proposal.replacement == edit.replacement && item.value == edit.score;
        }));
        readings.push_back(edit);
    }
    for (const auto& [slot, value] : best) {
        const bool taken = std::any_of(readings.begin(), readings.end(), [&, &slot = slot](const Edit& edit) {
            return (edit.begin == slot.first && edit.end == slot.second) ||
                   overlaps(edit, slot.first, slot.second);
        });
        FUZZ_CHECK(taken);
    }
    for (const auto& convention : conventions) {
        const Edit& c = convention.edit;
        if (std::find(edits.begin(), edits.end(), c) != edits.end()) continue;
        const bool blocked = std::any_of(edits.begin(), edits.end(),
                                         [&](const Edit& e) { return overlaps(e, c.begin, c.end); });
        const bool yields = convention.yields_to_neighbours &&
                            std::any_of(readings.begin(), readings.end(),
                                        [&](const Edit& e) { return e.begin <= c.end && c.begin <= e.end; });
        FUZZ_CHECK(blocked || yields);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ocrfix::fuzz::ByteReader reader(data, size);
    const std::string_view text = reader.bytes(reader.u16());
    const std::uint8_t setting = reader.byte();
    ocrfix::correct::Profile profile;
    profile.line_end_hyphens = static_cast<ocrfix::correct::LineEndHyphens>(setting % 4);
    profile.straight_apostrophes = setting & 4;
    static constexpr std::string_view kLanguages[] = {"", "en", "fr", "de"};
    const std::string_view language = kLanguages[(setting >> 3) % 4];

    const auto conventions = ocrfix::correct::convention_edits(text, profile, language);
    check_conventions(text, conventions);
    const auto scored = read_proposals(text, reader);
    check_decision(text, scored, conventions, ocrfix::correct::decide(scored, conventions));
    check_decision(text, scored, {}, ocrfix::correct::decide(scored));
    return 0;
}
