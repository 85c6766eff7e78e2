// SHA-256 of a file, to check a download against the hub's LFS etag.
#pragma once

#include <filesystem>
#include <string>

namespace ocrfix::store {

// Lower-case hex digest. Throws ocrfix::Error(io) when the file cannot be read.
std::string sha256_file(const std::filesystem::path& path);

}  // namespace ocrfix::store
