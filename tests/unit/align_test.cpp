#include "text/align.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace ocrfix::text;

TEST(Align, Distance) {
    EXPECT_EQ(levenshtein(std::string("kitten"), std::string("sitting")), 3u);
    EXPECT_EQ(levenshtein(std::string(""), std::string("abc")), 3u);
    EXPECT_EQ(levenshtein(std::u32string(U"Größe"), std::u32string(U"Grösse")), 2u);
}

TEST(Align, BacktraceReplaysToTheTarget) {
    const std::vector<std::string> a = {"Ths", "is", "a", "smple", "txt"};
    const std::vector<std::string> b = {"This", "is", "simple", "text", "here"};
    const auto steps = align(a, b);
    std::vector<std::string> rebuilt;
    std::size_t cost = 0;
    for (const auto& step : steps) {
        if (step.op == AlignOp::remove) { ++cost; continue; }
        rebuilt.push_back(b[step.b_index]);
        if (step.op != AlignOp::match) ++cost;
        if (step.op == AlignOp::match) EXPECT_EQ(a[step.a_index], b[step.b_index]);
    }
    EXPECT_EQ(rebuilt, b);
    EXPECT_EQ(cost, levenshtein(a, b));
    EXPECT_EQ(steps[0].op, AlignOp::substitute);  // Ths/This pair up
}
