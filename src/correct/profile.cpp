#include "correct/profile.h"

#include <string>

#include "ocrfix/error.h"

namespace ocrfix::correct {

const std::vector<Profile>& profiles() {
    static const std::vector<Profile> all = {
        // Modern typography for reading and search: the page's hyphens and breaks stay, save a
        // `-` the OCR read for the `¬` the text uses at its other line ends.
        {"reader", "modern typography; hyphens and breaks as printed", LineEndHyphens::automatic, false, false},
        // The HIPE-OCRepair transcription guidelines, as their ground truths show on the dev set:
        // `¬⏎` at a line-end break, words the page broke mid-line joined, straight apostrophes
        // (the impresso snippets' ground truth: 283 `'` to 1 `’`).
        {"hipe", "HIPE-OCRepair guidelines: ¬ at line-end breaks, mid-line breaks joined, ' for ’",
         LineEndHyphens::mark, true, true},
    };
    return all;
}

const Profile& profile_named(std::string_view name) {
    std::string names;
    for (const auto& profile : profiles()) {
        if (profile.name == name) return profile;
        names += (names.empty() ? "" : ", ") + std::string(profile.name);
    }
    throw Error(ErrorCategory::invalid_argument, "profile '" + std::string(name) + "' is not one of " + names);
}

}  // namespace ocrfix::correct
