// FNV-1a, 64 bits: the hash the lexicon's tables and the SymSpell index file are keyed by.
// Over bytes, or over code points one unit each; `h` continues an earlier hash.
#pragma once

#include <cstdint>
#include <string_view>

namespace ocrfix::lexicon {

inline constexpr std::uint64_t kFnvStart = 1469598103934665603ull;

inline std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h = kFnvStart) {
    for (const char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return h;
}

inline std::uint64_t fnv1a(std::u32string_view code_points, std::uint64_t h = kFnvStart) {
    for (const char32_t c : code_points) h = (h ^ static_cast<std::uint64_t>(c)) * 1099511628211ull;
    return h;
}

}  // namespace ocrfix::lexicon
