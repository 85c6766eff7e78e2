#include "correct/conventions.h"

#include "correct/spacing.h"

namespace ocrfix::correct {

std::vector<ConventionEdit> convention_edits(std::string_view text, const Profile& profile, std::string_view language) {
    std::vector<ConventionEdit> out;
    if (!language.empty() || profile.line_end_hyphens != LineEndHyphens::automatic)
        for (auto& edit : line_end_hyphen_edits(text, profile.line_end_hyphens)) out.push_back({std::move(edit), false});
    if (!language.empty())
        for (auto& edit : token_spacing_edits(text, language)) out.push_back({std::move(edit), true});
    if (profile.straight_apostrophes) {
        constexpr std::string_view kCurly = "’";
        for (std::size_t at = text.find(kCurly); at != std::string_view::npos; at = text.find(kCurly, at + kCurly.size()))
            out.push_back({{at, at + kCurly.size(), "'", 1.0, "apostrophe"}, false});
    }
    return out;
}

}  // namespace ocrfix::correct
