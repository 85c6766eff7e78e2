// SHA-256 of a file, to check a download against the hub's LFS etag, and of bytes.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace ocrfix::store {

// Lower-case hex digest. Throws ocrfix::Error(io) when the file cannot be read.
std::string sha256_file(const std::filesystem::path& path);
std::string sha256_bytes(std::string_view bytes);

}  // namespace ocrfix::store
