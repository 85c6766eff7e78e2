#include "lexicon/symspell_index.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "lexicon/fnv.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace ocrfix::lexicon {

namespace fs = std::filesystem;

namespace {

std::uint64_t hash_of(std::u32string_view s) { return fnv1a(s) ^ (s.size() << 56); }

// Hashes of `word` and of every string made from it by deleting up to `distance` code
// points (each set of positions once), appended to `out` unsorted. `word` is restored.
void add_delete_hashes(std::u32string& word, std::size_t from, int distance, std::vector<std::uint64_t>& out) {
    out.push_back(hash_of(word));
    if (distance == 0) return;
    for (std::size_t i = from; i < word.size(); ++i) {
        const char32_t removed = word[i];
        word.erase(i, 1);
        add_delete_hashes(word, i, distance - 1, out);
        word.insert(i, 1, removed);
    }
}

// The distinct hashes of the deletions of `prefix`, sorted.
void delete_hashes(std::u32string_view prefix, int distance, std::vector<std::uint64_t>& out) {
    out.clear();
    std::u32string word(prefix);
    add_delete_hashes(word, 0, distance, out);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
}

}  // namespace

int damerau_distance(std::u32string_view a, std::u32string_view b, int limit) {
    const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
    if (std::abs(n - m) > limit) return limit + 1;
    // Three rows of the table; on the stack for words of ordinary length (this runs for
    // every candidate the index returns).
    constexpr int kStackColumns = 64;
    int stack_rows[3][kStackColumns];
    std::vector<int> heap_rows;
    int* rows[3];
    if (m + 1 <= kStackColumns) {
        for (int r = 0; r < 3; ++r) rows[r] = stack_rows[r];
    } else {
        heap_rows.resize(3 * static_cast<std::size_t>(m + 1));
        for (int r = 0; r < 3; ++r) rows[r] = heap_rows.data() + r * (m + 1);
    }
    int* previous2 = rows[0];
    int* previous = rows[1];
    int* current = rows[2];
    for (int j = 0; j <= m; ++j) previous[j] = j;
    for (int i = 1; i <= n; ++i) {
        current[0] = i;
        int row_min = current[0];
        for (int j = 1; j <= m; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                current[j] = std::min(current[j], previous2[j - 2] + 1);
            row_min = std::min(row_min, current[j]);
        }
        if (row_min > limit) return limit + 1;
        int* oldest = previous2;
        previous2 = previous;
        previous = current;
        current = oldest;
    }
    return std::min(previous[m], limit + 1);
}

QueryDistance::QueryDistance(std::u32string_view query) : query_(query) {
    if (query.size() > 64) return;
    for (std::size_t i = 0; i < query.size(); ++i) {
        const std::uint64_t bit = std::uint64_t{1} << i;
        const char32_t c = query[i];
        if (c < 256) {
            small_[c] |= bit;
            continue;
        }
        int k = 0;
        while (k < others_ && other_points_[k] != c) ++k;
        if (k == others_) other_points_[others_++] = c;
        other_masks_[k] |= bit;
    }
}

std::uint64_t QueryDistance::mask_of(char32_t c) const {
    if (c < 256) return small_[c];
    for (int k = 0; k < others_; ++k)
        if (other_points_[k] == c) return other_masks_[k];
    return 0;
}

int QueryDistance::to(std::u32string_view word, int limit) const {
    const std::size_t m = query_.size();
    if (m > 64 || m == 0 || word.empty()) return damerau_distance(query_, word, limit);
    if ((m > word.size() ? m - word.size() : word.size() - m) > static_cast<std::size_t>(limit)) return limit + 1;
    // Columns of the DP table (one per code point of `word`) as vertical deltas: VP/VN hold
    // the rows where the value rises/falls by one from the row above; D0 the diagonal zeros.
    std::uint64_t vp = ~std::uint64_t{0}, vn = 0, d0 = 0, previous_mask = 0;
    const std::uint64_t last = std::uint64_t{1} << (m - 1);
    int distance = static_cast<int>(m);
    for (const char32_t c : word) {
        const std::uint64_t mask = c < 256 ? small_[c] : mask_of(c);
        const std::uint64_t transposed = (((~d0) & mask) << 1) & previous_mask;
        d0 = (((mask & vp) + vp) ^ vp) | mask | vn | transposed;
        std::uint64_t hp = vn | ~(d0 | vp);
        std::uint64_t hn = d0 & vp;
        if (hp & last) ++distance;
        else if (hn & last) --distance;
        hp = (hp << 1) | 1;
        hn <<= 1;
        vp = hn | ~(d0 | hp);
        vn = hp & d0;
        previous_mask = mask;
    }
    return distance > limit ? limit + 1 : distance;
}

namespace {

// Lexicons of more words keep the first this many in the index (the id shares 32 bits with
// the length); wordfreq's lists hold a few hundred thousand.
constexpr std::size_t kMaxWords = std::size_t{1} << 24;
constexpr std::size_t kEntriesPerBucket = 2;

// The file: this header, then the entries, the directory, the offsets, the code points and
// the signatures (one per word, offsets - 1), each an array of 4-byte units (entries 8
// bytes) in this machine's byte order.
struct FileHeader {
    char magic[8];
    std::uint32_t version, max_distance, prefix_length, bucket_bits;
    std::uint64_t key;
    std::uint64_t entries, directory, offsets, points;
    std::uint64_t longest_bucket;  // entries in the fullest bucket: no lookup scans more
};
static_assert(sizeof(FileHeader) == 72, "the file's layout");
constexpr char kMagic[8] = {'o', 'c', 'r', 'f', 'i', 'x', 'S', 'S'};
constexpr std::uint32_t kFileVersion = 3;  // 2: the words' signatures; 3: the longest bucket

// std::popcount, in a few operations where the build targets CPUs without the instruction.
int bits_set(std::uint32_t x) {
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    return static_cast<int>((((x + (x >> 4)) & 0x0f0f0f0fu) * 0x01010101u) >> 24);
}

std::uint32_t signature_of(std::u32string_view word) {
    std::uint32_t bits = 0;
    for (const char32_t c : word) bits |= std::uint32_t{1} << (c % 32);
    return bits;
}

// What the index of `lexicon` depends on: its words in order, and the index's shape.
std::uint64_t index_key(const Lexicon& lexicon, int max_distance, int prefix_length, int max_length) {
    std::uint64_t h = kFnvStart;
    for (const std::string& word : lexicon.words()) h = fnv1a("\n", fnv1a(word, h));
    return fnv1a(std::to_string(max_distance) + "/" + std::to_string(prefix_length) + "/" + std::to_string(max_length) +
                     "/" + std::to_string(sizeof(char32_t)),
                 h);
}

}  // namespace

struct SymSpellIndex::Mapping {
    void* address = nullptr;
    std::size_t size = 0;
    ~Mapping() {
        if (address != nullptr) ::munmap(address, size);
    }
};

SymSpellIndex::SymSpellIndex(Unfilled, const Lexicon& lexicon, int max_distance, int prefix_length)
    : lexicon_(lexicon), max_distance_(max_distance), prefix_length_(prefix_length) {}

SymSpellIndex::SymSpellIndex(const Lexicon& lexicon, int max_distance, int prefix_length, int max_length)
    : SymSpellIndex(Unfilled{}, lexicon, max_distance, prefix_length) {
    build(max_length);
}

SymSpellIndex::~SymSpellIndex() = default;

void SymSpellIndex::build(int max_length) {
    const auto& words = lexicon_.words();
    const std::size_t count = std::min(words.size(), kMaxWords);
    struct Raw {
        std::uint64_t hash;
        std::uint32_t word;
        bool operator<(const Raw& other) const { return hash < other.hash || (hash == other.hash && word < other.word); }
    };
    std::vector<Raw> raw;
    std::vector<std::uint64_t> hashes;
    own_offsets_.reserve(count + 1);
    for (std::size_t id = 0; id < count; ++id) {
        own_offsets_.push_back(static_cast<std::uint32_t>(own_points_.size()));
        const std::u32string word = text::to_code_points(words[id]);
        // A word left out has no code points and no letters: no entry finds it.
        const bool indexed = !word.empty() && static_cast<int>(word.size()) <= max_length;
        own_signatures_.push_back(indexed ? signature_of(word) : 0);
        if (!indexed) continue;
        delete_hashes(std::u32string_view(word).substr(0, static_cast<std::size_t>(prefix_length_)), max_distance_, hashes);
        const auto packed = static_cast<std::uint32_t>(id << 8 | word.size());
        for (const std::uint64_t h : hashes) raw.push_back({h, packed});
        own_points_ += word;
    }
    own_offsets_.push_back(static_cast<std::uint32_t>(own_points_.size()));
    std::sort(raw.begin(), raw.end());
    // The directory: bucket b (the hash's top bits) holds entries [directory[b],
    // directory[b + 1]), about kEntriesPerBucket of them.
    int bits = 1;
    while (bits < 32 && (std::size_t{1} << bits) * kEntriesPerBucket < raw.size()) ++bits;
    bucket_bits_ = bits;
    const int shift = 64 - bits;
    own_entries_.reserve(raw.size());
    for (const Raw& r : raw) own_entries_.push_back({static_cast<std::uint32_t>(r.hash >> (shift - 32)), r.word});
    own_directory_.assign((std::size_t{1} << bits) + 1, 0);
    std::size_t at = 0;
    for (std::size_t bucket = 0; bucket + 1 < own_directory_.size(); ++bucket) {
        own_directory_[bucket] = static_cast<std::uint32_t>(at);
        while (at < raw.size() && (raw[at].hash >> shift) == bucket) ++at;
    }
    own_directory_.back() = static_cast<std::uint32_t>(raw.size());
    for (std::size_t bucket = 0; bucket + 1 < own_directory_.size(); ++bucket)
        longest_bucket_ = std::max<std::size_t>(longest_bucket_, own_directory_[bucket + 1] - own_directory_[bucket]);
    entries_ = own_entries_;
    directory_ = own_directory_;
    offsets_ = own_offsets_;
    points_ = std::span<const char32_t>(own_points_.data(), own_points_.size());
    signatures_ = own_signatures_;
}

std::unique_ptr<SymSpellIndex> SymSpellIndex::open(const Lexicon& lexicon, const fs::path& cache_dir) {
    const std::uint64_t key = index_key(lexicon, kMaxDistance, kPrefixLength, kMaxLength);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(key));
    const std::string stem = "symspell-" + lexicon.language() + "-";
    const fs::path path = cache_dir / (stem + hex + ".idx");
    if (auto mapped = map(lexicon, path, key)) return mapped;
    auto index = std::make_unique<SymSpellIndex>(lexicon, kMaxDistance, kPrefixLength, kMaxLength);
    std::error_code ec;
    fs::create_directories(cache_dir, ec);
    if (!ec && index->write(path, key)) {
        // Indexes of earlier versions of this language's lexicon.
        for (auto it = fs::directory_iterator(cache_dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
            const auto& entry = *it;
            const std::string name = entry.path().filename().string();
            if (entry.path() != path && name.size() == stem.size() + 16 + 4 && name.compare(0, stem.size(), stem) == 0 &&
                name.compare(name.size() - 4, 4, ".idx") == 0) {
                std::error_code ignored;
                fs::remove(entry.path(), ignored);
            }
        }
    }
    return index;
}

bool SymSpellIndex::write(const fs::path& path, std::uint64_t key) const {
    FileHeader header{};
    std::memcpy(header.magic, kMagic, sizeof kMagic);
    header.version = kFileVersion;
    header.max_distance = static_cast<std::uint32_t>(max_distance_);
    header.prefix_length = static_cast<std::uint32_t>(prefix_length_);
    header.bucket_bits = static_cast<std::uint32_t>(bucket_bits_);
    header.key = key;
    header.entries = entries_.size();
    header.directory = directory_.size();
    header.offsets = offsets_.size();
    header.points = points_.size();
    header.longest_bucket = longest_bucket_;
    // Written whole under a name of its own (created, never followed or reused: a link or a
    // FIFO put there is refused), flushed to the disk, then renamed: a reader never sees
    // half a file, and a crash leaves no short one under the real name.
    static std::atomic<unsigned> serial{0};
    const fs::path partial = path.string() + ".partial." + std::to_string(::getpid()) + "." + std::to_string(++serial);
    const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) return false;
    bool ok = true;
    auto put = [&](const void* data, std::size_t bytes) {
        const auto* at = static_cast<const char*>(data);
        while (ok && bytes > 0) {
            const ssize_t wrote = ::write(fd, at, bytes);
            if (wrote < 0 && errno == EINTR) continue;
            if (wrote <= 0) ok = false;
            else {
                at += wrote;
                bytes -= static_cast<std::size_t>(wrote);
            }
        }
    };
    put(&header, sizeof header);
    put(entries_.data(), entries_.size_bytes());
    put(directory_.data(), directory_.size_bytes());
    put(offsets_.data(), offsets_.size_bytes());
    put(points_.data(), points_.size_bytes());
    put(signatures_.data(), signatures_.size_bytes());
    ok = ok && ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    std::error_code ec;
    if (ok) fs::rename(partial, path, ec);
    if (!ok || ec) {
        fs::remove(partial, ec);
        return false;
    }
    return true;
}

std::unique_ptr<SymSpellIndex> SymSpellIndex::map(const Lexicon& lexicon, const fs::path& path, std::uint64_t key) {
    // Not blocking: a FIFO put at the path would otherwise hold the open until a writer came.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return nullptr;
    struct stat info {};
    void* address = MAP_FAILED;
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && static_cast<std::size_t>(info.st_size) >= sizeof(FileHeader))
        address = ::mmap(nullptr, static_cast<std::size_t>(info.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (address == MAP_FAILED) return nullptr;
    auto mapping = std::make_unique<Mapping>();
    mapping->address = address;
    mapping->size = static_cast<std::size_t>(info.st_size);
    // The header against this lexicon and the file's size, then the words (below). Word ids
    // and the directory's bounds are checked where they are read, and no scan goes past the
    // fullest bucket.
    FileHeader header;
    std::memcpy(&header, address, sizeof header);
    const std::size_t words = std::min(lexicon.words().size(), kMaxWords);
    const std::uint64_t expected = sizeof header + header.entries * sizeof(Entry) +
                                   (header.directory + 2 * header.offsets - 1 + header.points) * 4;
    if (std::memcmp(header.magic, kMagic, sizeof kMagic) != 0 || header.version != kFileVersion || header.key != key ||
        header.max_distance != kMaxDistance || header.prefix_length != kPrefixLength || header.bucket_bits < 1 ||
        header.bucket_bits > 32 || header.directory != (std::uint64_t{1} << header.bucket_bits) + 1 ||
        header.offsets != words + 1 || header.longest_bucket > header.entries || header.entries > (std::uint64_t{1} << 40) || header.points > (std::uint64_t{1} << 40) ||
        expected != mapping->size)
        return nullptr;
    const auto* base = static_cast<const unsigned char*>(address) + sizeof header;
    std::unique_ptr<SymSpellIndex> index(new SymSpellIndex(Unfilled{}, lexicon, kMaxDistance, kPrefixLength));
    index->bucket_bits_ = static_cast<int>(header.bucket_bits);
    index->entries_ = {reinterpret_cast<const Entry*>(base), header.entries};
    base += header.entries * sizeof(Entry);
    index->directory_ = {reinterpret_cast<const std::uint32_t*>(base), header.directory};
    base += header.directory * 4;
    index->offsets_ = {reinterpret_cast<const std::uint32_t*>(base), header.offsets};
    base += header.offsets * 4;
    index->points_ = {reinterpret_cast<const char32_t*>(base), header.points};
    base += header.points * 4;
    index->signatures_ = {reinterpret_cast<const std::uint32_t*>(base), header.offsets - 1};
    index->longest_bucket_ = header.longest_bucket;
    // The words must be the lexicon's, as the index was built: a word's code points decide
    // its distances and channel costs, and one of any length would make a table that size.
    if (index->offsets_.front() != 0 || index->offsets_.back() != header.points) return nullptr;
    for (std::size_t id = 0; id < words; ++id) {
        if (index->offsets_[id + 1] < index->offsets_[id] || index->offsets_[id + 1] - index->offsets_[id] > kMaxLength)
            return nullptr;
        const std::u32string_view stored = index->word(static_cast<std::uint32_t>(id));
        if (index->signatures_[id] != signature_of(stored)) return nullptr;
        if (stored.empty()) continue;  // a word the index leaves out
        const std::string& listed = lexicon.words()[id];
        std::size_t at = 0;
        for (const char32_t c : stored)
            if (at >= listed.size() || text::next_code_point(listed, at) != c) return nullptr;
        if (at != listed.size()) return nullptr;
    }
    index->mapping_ = std::move(mapping);
    return index;
}

std::u32string_view SymSpellIndex::word(std::uint32_t id) const {
    return {points_.data() + offsets_[id], offsets_[id + 1] - offsets_[id]};
}

std::vector<Suggestion> SymSpellIndex::lookup(std::u32string_view query, int max_distance) const {
    max_distance = std::min(max_distance, max_distance_);
    thread_local std::vector<std::uint64_t> hashes;
    thread_local std::vector<std::uint32_t> seen;
    // A word is in many of the probed buckets (one per deletion that reaches it): each is
    // weighed once, marked with this lookup's stamp, and sorting is left to the few that
    // pass the length and signature tests.
    // Marks are per thread and shared by every index: each lookup has a stamp of its own.
    thread_local std::vector<std::uint32_t> stamps;
    thread_local std::uint32_t stamp = 0;
    const std::size_t words = offsets_.size() - 1;
    if (stamps.size() < words) stamps.resize(words, 0);
    if (++stamp == 0) {  // wrapped: no old mark may look current
        std::fill(stamps.begin(), stamps.end(), 0);
        stamp = 1;
    }
    delete_hashes(query.substr(0, static_cast<std::size_t>(prefix_length_)), max_distance, hashes);
    seen.clear();
    const int shift = 64 - bucket_bits_;
    const std::size_t length = query.size(), distance = static_cast<std::size_t>(max_distance);
    const std::uint32_t signature = signature_of(query);
    const int most_flipped = 2 * max_distance;
    // Each probe lands at random in tens of megabytes: ask for the directory's cache lines,
    // then the entries', for all the probes before reading any, so the misses overlap.
    for (const std::uint64_t h : hashes) __builtin_prefetch(&directory_[h >> shift]);
    for (const std::uint64_t h : hashes) {
        const std::size_t first = directory_[h >> shift];
        if (first < entries_.size()) __builtin_prefetch(&entries_[first]);
    }
    for (const std::uint64_t h : hashes) {
        const std::size_t bucket = h >> shift;
        const auto fingerprint = static_cast<std::uint32_t>(h >> (shift - 32));
        const std::size_t begin = directory_[bucket];
        const std::size_t end = std::min<std::size_t>({directory_[bucket + 1], entries_.size(), begin + longest_bucket_});
        for (std::size_t i = begin; i < end && entries_[i].fingerprint <= fingerprint; ++i) {
            if (entries_[i].fingerprint != fingerprint) continue;
            const std::size_t word_length = entries_[i].word & 0xff;
            if (word_length + distance < length || word_length > length + distance) continue;
            const std::uint32_t id = entries_[i].word >> 8;
            if (id >= words || stamps[id] == stamp) continue;
            stamps[id] = stamp;
            // An insertion or deletion flips at most one letter bit, a substitution two, and a
            // length difference of k takes k insertions or deletions of the edits allowed.
            const int length_difference = static_cast<int>(word_length > length ? word_length - length : length - word_length);
            if (bits_set(signatures_[id] ^ signature) <= most_flipped - length_difference) seen.push_back(id);
        }
    }
    std::sort(seen.begin(), seen.end());
    std::vector<Suggestion> suggestions;
    const QueryDistance to_query(query);
    for (const std::uint32_t id : seen) __builtin_prefetch(&offsets_[id]);
    for (const std::uint32_t id : seen) __builtin_prefetch(points_.data() + offsets_[id]);
    for (const std::uint32_t id : seen) {
        const std::u32string_view candidate = word(id);
        if (candidate.empty() || candidate == query) continue;
        const int d = to_query.to(candidate, max_distance);
        if (d <= max_distance) suggestions.push_back({id, d});
    }
    return suggestions;
}

}  // namespace ocrfix::lexicon
