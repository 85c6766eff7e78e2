#include "store/sha256.h"

#include <openssl/evp.h>

#include <cstdio>
#include <memory>
#include <vector>

#include "ocrfix/error.h"

namespace ocrfix::store {

namespace {

using DigestContext = std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)>;

DigestContext new_digest() {
    DigestContext context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr);
    return context;
}

std::string finish_hex(EVP_MD_CTX* context) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(context, digest, &length);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < length; ++i) {
        hex += kHex[digest[i] >> 4];
        hex += kHex[digest[i] & 15];
    }
    return hex;
}

}  // namespace

std::string sha256_bytes(std::string_view bytes) {
    DigestContext context = new_digest();
    EVP_DigestUpdate(context.get(), bytes.data(), bytes.size());
    return finish_hex(context.get());
}

std::string sha256_file(const std::filesystem::path& path) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file) throw Error(ErrorCategory::io, "cannot read " + path.string() + " to check its sha256");
    DigestContext context = new_digest();
    std::vector<unsigned char> buffer(1 << 16);
    std::size_t got = 0;
    while ((got = std::fread(buffer.data(), 1, buffer.size(), file.get())) > 0)
        EVP_DigestUpdate(context.get(), buffer.data(), got);
    if (std::ferror(file.get())) throw Error(ErrorCategory::io, "reading " + path.string() + " failed");
    return finish_hex(context.get());
}

}  // namespace ocrfix::store
