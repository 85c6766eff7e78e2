// What the fuzz targets share: an invariant check that survives NDEBUG, and a reader that
// turns the fuzzer's bytes into values (clang's FuzzedDataProvider is not there under gcc).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

// Aborts with the condition, file and line when `condition` is false: libFuzzer reports it
// as a crash and keeps the input; the replay test fails.
#define FUZZ_CHECK(condition)                                                                    \
    do {                                                                                         \
        if (!(condition)) ::ocrfix::fuzz::invariant_failed(#condition, __FILE__, __LINE__);    \
    } while (0)

namespace ocrfix::fuzz {

[[noreturn]] inline void invariant_failed(const char* condition, const char* file, int line) {
    std::fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, condition);
    std::abort();
}

// Takes values off the front of the input; past its end every value is zero or empty, so
// that every input, however short, is a valid test case.
class ByteReader {
public:
    ByteReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

    bool empty() const { return size_ == 0; }

    std::uint8_t byte() {
        if (size_ == 0) return 0;
        --size_;
        return *data_++;
    }

    std::uint16_t u16() {
        const std::uint16_t low = byte();
        return static_cast<std::uint16_t>(low | (byte() << 8));
    }

    // The next `count` bytes (fewer at the end of the input).
    std::string_view bytes(std::size_t count) {
        if (count > size_) count = size_;
        const std::string_view out(reinterpret_cast<const char*>(data_), count);
        data_ += count, size_ -= count;
        return out;
    }

    // The bytes up to the next `separator` (consumed, not returned), or all that is left.
    std::string_view until(char separator) {
        const std::string_view rest(reinterpret_cast<const char*>(data_), size_);
        const std::size_t at = rest.find(separator);
        const std::string_view out = rest.substr(0, at);
        bytes(at == std::string_view::npos ? size_ : at + 1);
        return out;
    }

    std::string_view rest() { return bytes(size_); }

    // Eight bytes as they lie: NaN, infinities and denormals included.
    double raw_double() {
        unsigned char buffer[sizeof(double)] = {};
        const std::string_view source = bytes(sizeof(double));
        std::memcpy(buffer, source.data(), source.size());
        double value;
        std::memcpy(&value, buffer, sizeof value);
        return value;
    }

private:
    const std::uint8_t* data_;
    std::size_t size_;
};

}  // namespace ocrfix::fuzz
