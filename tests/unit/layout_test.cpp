// src/layout: hOCR, ALTO and PAGE XML read into words, their text, and edits written back
// (marking, merge and split boxes, line-end hyphens, do no harm, bad input).
#include "layout/document.h"

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <map>
#include <set>
#include <string>

#include "ocrfix/error.h"

namespace layout = ocrfix::layout;
using ocrfix::CorrectionResult;
using ocrfix::Edit;

namespace {

// The first difference between two XML trees, "" when they are equal: the same elements in
// the same order, the same attributes (in any order) with the same values, the same text.
// Text nodes of white space only (indentation) are ignored.
std::string xml_difference(pugi::xml_node a, pugi::xml_node b, const std::string& path = "") {
    if (std::string(a.name()) != b.name()) return path + ": <" + a.name() + "> against <" + b.name() + ">";
    const std::string here = path + "/" + a.name() + (a.attribute("ID") ? "#" + std::string(a.attribute("ID").value()) : "") +
                             (a.attribute("id") ? "#" + std::string(a.attribute("id").value()) : "");
    std::size_t count_a = 0, count_b = 0;
    for (pugi::xml_attribute attribute : a.attributes()) {
        ++count_a;
        pugi::xml_attribute other = b.attribute(attribute.name());
        if (!other) return here + ": attribute " + attribute.name() + " is missing";
        if (std::string(attribute.value()) != other.value())
            return here + ": " + attribute.name() + "='" + attribute.value() + "' against '" + other.value() + "'";
    }
    for (pugi::xml_attribute attribute : b.attributes()) {
        (void)attribute;
        ++count_b;
    }
    if (count_a != count_b) return here + ": the attributes differ";
    auto significant = [](pugi::xml_node node) {
        for (; node; node = node.next_sibling()) {
            if (node.type() == pugi::node_element) return node;
            if (node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata) {
                const std::string value = node.value();
                if (value.find_first_not_of(" \t\r\n") != std::string::npos) return node;
            }
        }
        return pugi::xml_node();
    };
    pugi::xml_node x = significant(a.first_child()), y = significant(b.first_child());
    for (; x || y; x = significant(x.next_sibling()), y = significant(y.next_sibling())) {
        if (!x || !y) return here + ": a child is missing";
        if (x.type() != y.type()) return here + ": an element against text";
        if (x.type() == pugi::node_element) {
            const std::string difference = xml_difference(x, y, here);
            if (!difference.empty()) return difference;
        } else if (std::string(x.value()) != y.value()) {
            return here + ": text '" + x.value() + "' against '" + y.value() + "'";
        }
    }
    return "";
}

std::string xml_difference(const std::string& a, const std::string& b) {
    pugi::xml_document x, y;
    if (!x.load_string(a.c_str())) return "the first does not parse";
    if (!y.load_string(b.c_str())) return "the second does not parse";
    return xml_difference(x.document_element(), y.document_element());
}

// An edit replacing the first `original` at or after `from` in `text`.
Edit edit_of(const std::string& text, const std::string& original, const std::string& replacement) {
    const std::size_t at = text.find(original);
    EXPECT_NE(at, std::string::npos) << original;
    return {at, at + original.size(), replacement, 1.0, "test"};
}

// The same text in the three formats: "tbe Govemment Verbrei-\ntung some thing\n\nnewword".
const std::string kExpectedText = "tbe Govemment Verbrei-\ntung some thing\n\nnewword";

const std::string kAlto = R"(<?xml version="1.0" encoding="UTF-8"?>
<!-- made by the test -->
<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#"><Description><MeasurementUnit>pixel</MeasurementUnit></Description>
<Layout><Page ID="p" WIDTH="1000" HEIGHT="800"><PrintSpace>
<TextBlock ID="b1">
<TextLine ID="l1"><String ID="s1" HPOS="10" VPOS="10" WIDTH="30" HEIGHT="20" WC="0.9" CONTENT="tbe"/><SP/><String ID="s2" HPOS="50" VPOS="10" WIDTH="100" HEIGHT="20" WC="0.4" CC="0 0 0 0 0 0 0 0 0" CONTENT="Govemment"/><SP/><String ID="s3" HPOS="160" VPOS="12" WIDTH="40" HEIGHT="18" CONTENT="Verbrei" SUBS_TYPE="HypPart1" SUBS_CONTENT="Verbreitung"/><HYP CONTENT="-"/></TextLine>
<TextLine ID="l2"><String ID="s4" HPOS="10" VPOS="40" WIDTH="40" HEIGHT="20" CONTENT="tung" SUBS_TYPE="HypPart2" SUBS_CONTENT="Verbreitung"/><SP/><String ID="s5" HPOS="60" VPOS="40" WIDTH="60" HEIGHT="20" CONTENT="some"/><SP/><String ID="s6" HPOS="130" VPOS="42" WIDTH="50" HEIGHT="18" CONTENT="thing"/></TextLine>
</TextBlock>
<TextBlock ID="b2"><TextLine ID="l3"><String ID="s7" HPOS="10" VPOS="100" WIDTH="90" HEIGHT="20" WC="0.7" CONTENT="newword"/></TextLine></TextBlock>
</PrintSpace></Page></Layout></alto>
)";

const std::string kHocr = R"(<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en"><head><title></title>
<meta name='ocr-system' content='the test' /></head><body>
<div class='ocr_page' id='page_1' title='image "x.png"; bbox 0 0 1000 800'>
<div class='ocr_carea' id='block_1' title="bbox 0 0 500 100"><p class='ocr_par' id='par_1' lang='eng'>
<span class='ocr_line' id='line_1' title="bbox 10 10 300 30; baseline 0 -5">
 <span class='ocrx_word' id='word_1' title='bbox 10 10 40 30; x_wconf 91'>tbe</span>
 <span class='ocrx_word' id='word_2' title='bbox 50 10 150 30; x_wconf 40'><strong>Govemment</strong></span>
 <span class='ocrx_word' id='word_3' title='bbox 160 12 200 30; x_wconf 88'>Verbrei&#xAD;</span>
</span>
<span class='ocr_line' id='line_2' title="bbox 10 40 300 60">
 <span class='ocrx_word' id='word_4' title='bbox 10 40 50 60; x_wconf 90'>tung</span>
 <span class='ocrx_word' id='word_5' title='bbox 60 40 120 60; x_wconf 90'>some</span>
 <span class='ocrx_word' id='word_6' title='bbox 130 42 180 60; x_wconf 90'>thing</span>
</span></p></div>
<div class='ocr_carea' id='block_2'><p class='ocr_par' id='par_2'><span class='ocr_line' id='line_3'>
 <span class='ocrx_word' id='word_7' title='bbox 10 100 100 120; x_wconf 70'>newword</span></span></p></div>
</div></body></html>
)";

std::string page_xml(const std::string& year) {
    return R"(<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/)" +
           year + R"("><Metadata><Creator>the test</Creator></Metadata>
<Page imageFilename="x.png" imageWidth="1000" imageHeight="800">
<TextRegion id="r1"><Coords points="0,0 500,0 500,100 0,100"/>
<TextLine id="l1"><Coords points="10,10 300,10 300,30 10,30"/>
<Word id="w1"><Coords points="10,10 40,10 40,30 10,30"/><TextEquiv conf="0.91"><Unicode>tbe</Unicode></TextEquiv></Word>
<Word id="w2"><Coords points="50,10 150,10 150,30 50,30"/><TextEquiv conf="0.4"><Unicode>Govemment</Unicode></TextEquiv></Word>
<Word id="w3"><Coords points="160,12 200,12 200,30 160,30"/><TextEquiv><Unicode>Verbrei&#xAD;</Unicode></TextEquiv></Word>
<TextEquiv><Unicode>tbe Govemment Verbrei&#xAD;</Unicode></TextEquiv></TextLine>
<TextLine id="l2"><Coords points="10,40 300,40 300,60 10,60"/>
<Word id="w4"><Coords points="10,40 50,40 50,60 10,60"/><TextEquiv><Unicode>tung</Unicode></TextEquiv></Word>
<Word id="w5"><Coords points="60,40 120,40 120,60 60,60"/><TextEquiv><Unicode>some</Unicode></TextEquiv></Word>
<Word id="w6"><Coords points="130,42 180,42 180,60 130,60"/><TextEquiv><Unicode>thing</Unicode></TextEquiv></Word>
<TextEquiv><Unicode>tung some thing</Unicode></TextEquiv></TextLine>
<TextEquiv><Unicode>tbe Govemment Verbrei&#xAD;
tung some thing</Unicode></TextEquiv></TextRegion>
<TextRegion id="r2"><Coords points="0,90 500,90 500,130 0,130"/>
<TextLine id="l3"><Coords points="10,100 100,100 100,120 10,120"/><TextEquiv index="1" conf="0.7"><Unicode>newword</Unicode></TextEquiv></TextLine>
</TextRegion></Page></PcGts>
)";
}

// The edits every format gets: a substitution, one in a word with a <strong>/CC, a word
// ending in the line-end hyphen, one after it, a merge, a split, and one across the break.
CorrectionResult edits_for(const std::string& text) {
    CorrectionResult result;
    result.edits = {edit_of(text, "tbe", "the"),
                    edit_of(text, "Govemment", "Government"),
                    edit_of(text, "Verbrei-", "Verbrej-"),
                    edit_of(text, "-\n", ""),  // crosses the line break: left out
                    edit_of(text, "tung", "tang"),
                    edit_of(text, "some thing", "something"),
                    edit_of(text, "newword", "new word")};
    // edit 3 overlaps edit 2 in bytes; keep them apart as the engine would (sorted, disjoint).
    result.edits.erase(result.edits.begin() + 3);
    result.edits.insert(result.edits.begin() + 3, Edit{text.find("\n"), text.find("\n") + 1, "", 1.0, "test"});
    result.text = ocrfix::apply_edits(text, result.edits);
    return result;
}

pugi::xml_node by_attribute(pugi::xml_document& xml, const char* name, const char* value) {
    return xml.find_node([&](pugi::xml_node node) { return std::string(node.attribute(name).value()) == value; });
}

pugi::xml_document load(const std::string& text) {
    pugi::xml_document xml;
    EXPECT_TRUE(xml.load_string(text.c_str()));
    return xml;
}

}  // namespace

TEST(LayoutXmlDifference, FindsChangedAttributesTextAndElements) {
    EXPECT_EQ(xml_difference("<a x='1'><b>t</b></a>", "<a x='1'>\n  <b>t</b>\n</a>"), "");
    EXPECT_NE(xml_difference("<a x='1'><b>t</b></a>", "<a x='2'><b>t</b></a>"), "");
    EXPECT_NE(xml_difference("<a><b>t</b></a>", "<a><b>u</b></a>"), "");
    EXPECT_NE(xml_difference("<a><b/></a>", "<a><b/><c/></a>"), "");
    EXPECT_NE(xml_difference("<a><b/></a>", "<a><b y=''/></a>"), "");
}

TEST(Layout, DetectsTheFormatFromTheContent) {
    EXPECT_EQ(layout::Document::parse(kAlto, "a.xml").format(), layout::Format::alto);
    EXPECT_EQ(layout::Document::parse(kHocr, "a.hocr").format(), layout::Format::hocr);
    EXPECT_EQ(layout::Document::parse(page_xml("2019-07-15"), "a.xml").format(), layout::Format::page);
    EXPECT_EQ(layout::Document::parse(page_xml("2013-07-15"), "a.xml").format(), layout::Format::page);
    for (const char* version : {"ns-v2#", "ns-v4#"}) {
        std::string alto = kAlto;
        alto.replace(alto.find("ns-v3#"), 6, version);
        EXPECT_EQ(layout::Document::parse(alto, "a.xml").format(), layout::Format::alto) << version;
    }
    EXPECT_FALSE(layout::looks_like_xml("Tbe Govemment <said>"));
    EXPECT_TRUE(layout::looks_like_xml("\xEF\xBB\xBF  <alto/>"));
}

TEST(Layout, BuildsTheTextWithHyphensWordsAndConfidences) {
    for (const std::string& input : {kAlto, kHocr, page_xml("2019-07-15")}) {
        const auto document = layout::Document::parse(input, "in");
        SCOPED_TRACE(std::string(layout::format_name(document.format())));
        EXPECT_EQ(document.text(), kExpectedText);
        ASSERT_EQ(document.words().size(), 7u);
        for (const auto& word : document.words())
            if (!word.whole_line) EXPECT_EQ(document.text().substr(word.begin, word.end - word.begin).size(),
                                            word.end - word.begin);
        const auto& govemment = document.words()[1];
        EXPECT_EQ(document.text().substr(govemment.begin, govemment.end - govemment.begin), "Govemment");
        EXPECT_NEAR(govemment.confidence, 0.4, 1e-9);
        EXPECT_TRUE(govemment.box.known);
        EXPECT_DOUBLE_EQ(govemment.box.left, 50);
        EXPECT_DOUBLE_EQ(govemment.box.right, 150);
        const auto confidences = document.byte_confidences();
        ASSERT_EQ(confidences.size(), document.text().size());
        EXPECT_NEAR(confidences[govemment.begin], 0.4, 1e-9);
        EXPECT_EQ(confidences[govemment.end], -1.0);  // the space after it
        EXPECT_EQ(document.lines().size(), 3u);
        EXPECT_EQ(document.lines()[2].block, 1u);
    }
    EXPECT_TRUE(layout::Document::parse(page_xml("2019-07-15"), "in").words()[6].whole_line);
}

TEST(Layout, NoEditsSerialisesEqualToTheInput) {
    for (const std::string& input : {kAlto, kHocr, page_xml("2019-07-15"), page_xml("2013-07-15")}) {
        auto document = layout::Document::parse(input, "in");
        const auto report = document.apply(CorrectionResult{document.text(), {}});
        EXPECT_EQ(report.applied, 0u);
        const std::string output = document.serialize();
        EXPECT_EQ(xml_difference(input, output), "") << output;
        // Declaration, comments and the DOCTYPE are written back too.
        EXPECT_EQ(output.find("<?xml") == std::string::npos, input.find("<?xml") == std::string::npos);
        EXPECT_EQ(output.find("<!--") == std::string::npos, input.find("<!--") == std::string::npos);
        EXPECT_EQ(output.find("<!DOCTYPE") == std::string::npos, input.find("<!DOCTYPE") == std::string::npos);
        EXPECT_TRUE(output.ends_with(">\n"));
    }
    // hOCR is also read as HTML: an empty <title> stays open and closed, <meta/> stays void.
    auto hocr = layout::Document::parse(kHocr, "in.hocr");
    EXPECT_NE(hocr.serialize().find("<title></title>"), std::string::npos);
    EXPECT_NE(hocr.serialize().find("content=\"the test\"/>"), std::string::npos);
}

TEST(LayoutAlto, WritesCorrectionsMergesSplitsAndHyphens) {
    auto document = layout::Document::parse(kAlto, "in.xml");
    const auto report = document.apply(edits_for(document.text()));
    EXPECT_EQ(report.applied, 6u);
    EXPECT_EQ(report.not_applied, 1u);
    pugi::xml_document xml = load(document.serialize());

    pugi::xml_node the = by_attribute(xml, "ID", "s1");
    EXPECT_STREQ(the.attribute("CONTENT").value(), "the");
    EXPECT_STREQ(the.child_value("ALTERNATIVE"), "tbe");
    EXPECT_STREQ(the.attribute("WC").value(), "0.9");  // the OCR's confidence stays
    pugi::xml_node government = by_attribute(xml, "ID", "s2");
    EXPECT_STREQ(government.attribute("CONTENT").value(), "Government");
    EXPECT_FALSE(government.attribute("CC"));  // one digit per old character: dropped
    EXPECT_STREQ(government.attribute("HPOS").value(), "50");

    // Hyphenation: the HYP stays, both parts carry the corrected whole word.
    pugi::xml_node part1 = by_attribute(xml, "ID", "s3"), part2 = by_attribute(xml, "ID", "s4");
    EXPECT_STREQ(part1.attribute("CONTENT").value(), "Verbrej");
    EXPECT_STREQ(part1.next_sibling().name(), "HYP");
    EXPECT_STREQ(part2.attribute("CONTENT").value(), "tang");
    EXPECT_STREQ(part1.attribute("SUBS_CONTENT").value(), "Verbrejtang");
    EXPECT_STREQ(part2.attribute("SUBS_CONTENT").value(), "Verbrejtang");

    // Merge: the union of the boxes, the second String and the SP between them gone.
    pugi::xml_node merged = by_attribute(xml, "ID", "s5");
    EXPECT_STREQ(merged.attribute("CONTENT").value(), "something");
    EXPECT_STREQ(merged.child_value("ALTERNATIVE"), "some thing");
    EXPECT_STREQ(merged.attribute("HPOS").value(), "60");
    EXPECT_STREQ(merged.attribute("VPOS").value(), "40");
    EXPECT_STREQ(merged.attribute("WIDTH").value(), "120");
    EXPECT_STREQ(merged.attribute("HEIGHT").value(), "20");
    EXPECT_FALSE(by_attribute(xml, "ID", "s6"));
    EXPECT_FALSE(merged.next_sibling());
    EXPECT_STREQ(part2.next_sibling().name(), "SP");

    // Split: the box divided by characters (3 + space + 4 of 90 px), an SP between.
    pugi::xml_node first = by_attribute(xml, "ID", "s7");
    EXPECT_STREQ(first.attribute("CONTENT").value(), "new");
    EXPECT_STREQ(first.attribute("HPOS").value(), "10");
    EXPECT_STREQ(first.attribute("WIDTH").value(), "34");
    EXPECT_STREQ(first.next_sibling().name(), "SP");
    pugi::xml_node second = first.next_sibling().next_sibling();
    EXPECT_STREQ(second.attribute("CONTENT").value(), "word");
    EXPECT_STREQ(second.attribute("ID").value(), "s7_1");
    EXPECT_STREQ(second.attribute("HPOS").value(), "55");
    EXPECT_STREQ(second.attribute("WIDTH").value(), "45");
    EXPECT_STREQ(second.attribute("VPOS").value(), "100");
    EXPECT_STREQ(second.child_value("ALTERNATIVE"), "newword");
}

TEST(LayoutHocr, WritesCorrectionsMergesSplitsAndSoftHyphens) {
    auto document = layout::Document::parse(kHocr, "in.hocr");
    const auto report = document.apply(edits_for(document.text()));
    EXPECT_EQ(report.applied, 6u);
    pugi::xml_document xml = load(document.serialize());

    pugi::xml_node the = by_attribute(xml, "id", "word_1");
    EXPECT_STREQ(the.child_value(), "the");
    EXPECT_STREQ(the.attribute("data-ocrfix-original").value(), "tbe");
    EXPECT_STREQ(the.attribute("title").value(), "bbox 10 10 40 30; x_wconf 91");
    pugi::xml_node government = by_attribute(xml, "id", "word_2");
    EXPECT_STREQ(government.child("strong").child_value(), "Government");
    EXPECT_STREQ(by_attribute(xml, "id", "word_3").child_value(), "Verbrej\xC2\xAD");  // the soft hyphen kept

    pugi::xml_node merged = by_attribute(xml, "id", "word_5");
    EXPECT_STREQ(merged.child_value(), "something");
    EXPECT_STREQ(merged.attribute("title").value(), "bbox 60 40 180 60; x_wconf 90");
    EXPECT_FALSE(by_attribute(xml, "id", "word_6"));

    pugi::xml_node first = by_attribute(xml, "id", "word_7");
    EXPECT_STREQ(first.child_value(), "new");
    EXPECT_STREQ(first.attribute("title").value(), "bbox 10 100 44 120; x_wconf 70");
    pugi::xml_node second = by_attribute(xml, "id", "word_7_1");
    EXPECT_STREQ(second.child_value(), "word");
    EXPECT_STREQ(second.attribute("title").value(), "bbox 55 100 100 120; x_wconf 70");
    EXPECT_STREQ(second.attribute("class").value(), "ocrx_word");

    // What was not touched is as it was.
    EXPECT_STREQ(by_attribute(xml, "id", "word_4").attribute("title").value(), "bbox 10 40 50 60; x_wconf 90");
    EXPECT_STREQ(by_attribute(xml, "id", "word_4").attribute("data-ocrfix-original").value(), "tung");
    EXPECT_STREQ(by_attribute(xml, "id", "line_1").attribute("title").value(), "bbox 10 10 300 30; baseline 0 -5");
}

TEST(LayoutPage, AddsTheCorrectionAsTextEquivZeroAtEveryLevel) {
    auto document = layout::Document::parse(page_xml("2019-07-15"), "in.xml");
    const auto report = document.apply(edits_for(document.text()));
    EXPECT_EQ(report.applied, 6u);
    pugi::xml_document xml = load(document.serialize());

    auto equiv = [](pugi::xml_node node, const char* index) {
        return node.find_child_by_attribute("TextEquiv", "index", index);
    };
    pugi::xml_node w1 = by_attribute(xml, "id", "w1");
    EXPECT_STREQ(equiv(w1, "0").child_value("Unicode"), "the");
    EXPECT_STREQ(equiv(w1, "0").attribute("comments").value(), "corrected by ocrfix");
    EXPECT_STREQ(equiv(w1, "1").child_value("Unicode"), "tbe");
    EXPECT_STREQ(equiv(w1, "1").attribute("conf").value(), "0.91");
    EXPECT_STREQ(w1.first_child().name(), "Coords");  // TextEquiv after Coords, as the schema wants
    EXPECT_STREQ(equiv(by_attribute(xml, "id", "w3"), "0").child_value("Unicode"), "Verbrej\xC2\xAD");

    pugi::xml_node l1 = by_attribute(xml, "id", "l1");
    EXPECT_STREQ(equiv(l1, "0").child_value("Unicode"), "the Government Verbrej\xC2\xAD");
    EXPECT_STREQ(equiv(l1, "1").child_value("Unicode"), "tbe Govemment Verbrei\xC2\xAD");
    pugi::xml_node r1 = by_attribute(xml, "id", "r1");
    EXPECT_STREQ(equiv(r1, "0").child_value("Unicode"), "the Government Verbrej\xC2\xAD\ntang something");

    pugi::xml_node merged = by_attribute(xml, "id", "w5");
    EXPECT_STREQ(equiv(merged, "0").child_value("Unicode"), "something");
    EXPECT_STREQ(equiv(merged, "1").child_value("Unicode"), "some thing");
    EXPECT_STREQ(equiv(merged, "2").child_value("Unicode"), "some");
    EXPECT_STREQ(merged.child("Coords").attribute("points").value(), "60,40 180,40 180,60 60,60");
    EXPECT_FALSE(by_attribute(xml, "id", "w6"));

    // A line without words is corrected as a whole; its reading that was index 1 is now 2.
    pugi::xml_node l3 = by_attribute(xml, "id", "l3");
    EXPECT_STREQ(equiv(l3, "0").child_value("Unicode"), "new word");
    EXPECT_STREQ(equiv(l3, "2").child_value("Unicode"), "newword");
    EXPECT_STREQ(equiv(l3, "2").attribute("conf").value(), "0.7");
    EXPECT_STREQ(l3.child("Coords").attribute("points").value(), "10,100 100,100 100,120 10,120");
}

TEST(LayoutPage, SplitsAWordIntoTwoWithDividedCoords) {
    const std::string input = page_xml("2019-07-15");
    auto document = layout::Document::parse(input, "in.xml");
    CorrectionResult result;
    result.edits = {edit_of(document.text(), "Govemment", "Gov emment")};
    document.apply(result);
    pugi::xml_document xml = load(document.serialize());
    pugi::xml_node first = by_attribute(xml, "id", "w2"), second = by_attribute(xml, "id", "w2_1");
    ASSERT_TRUE(second);
    EXPECT_EQ(first.next_sibling(), second);
    // 100 px over "Gov emment": 10 characters, 10 px each.
    EXPECT_STREQ(first.child("Coords").attribute("points").value(), "50,10 80,10 80,30 50,30");
    EXPECT_STREQ(second.child("Coords").attribute("points").value(), "90,10 150,10 150,30 90,30");
    EXPECT_STREQ(first.find_child_by_attribute("TextEquiv", "index", "0").child_value("Unicode"), "Gov");
    EXPECT_STREQ(second.find_child_by_attribute("TextEquiv", "index", "0").child_value("Unicode"), "emment");
    EXPECT_STREQ(second.find_child_by_attribute("TextEquiv", "index", "1").child_value("Unicode"), "Govemment");
    EXPECT_EQ(second.find_child_by_attribute("TextEquiv", "index", "2"), pugi::xml_node());
}

namespace {

std::string error_of(const std::string& bytes, std::optional<layout::Format> format = {}) {
    try {
        layout::Document::parse(bytes, "scan-17.xml", format);
    } catch (const ocrfix::Error& error) {
        EXPECT_EQ(error.category(), ocrfix::ErrorCategory::invalid_input);
        return error.what();
    }
    return "";
}

}  // namespace

TEST(Layout, BadInputGetsAClearError) {
    std::string message = error_of("<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v3#\"><Layout>");
    EXPECT_NE(message.find("scan-17.xml"), std::string::npos) << message;
    EXPECT_NE(message.find("not well-formed"), std::string::npos) << message;
    EXPECT_NE(message.find("--input-format text"), std::string::npos) << message;

    message = error_of("<html><head><meta charset=utf-8></head><body><span class='ocrx_word'>a</span></body></html>");
    EXPECT_NE(message.find("xmllint --html --xmlout"), std::string::npos) << message;

    message = error_of("<alto xmlns=\"http://example.org/alto\"><Layout/></alto>");
    EXPECT_NE(message.find("namespace 'http://example.org/alto'"), std::string::npos) << message;
    message = error_of("<PcGts xmlns=\"http://schema.primaresearch.org/PAGE/gts/pagecontent/2010-03-19\"/>");
    EXPECT_NE(message.find("not PAGE XML"), std::string::npos) << message;
    message = error_of("<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    EXPECT_NE(message.find("<svg>"), std::string::npos) << message;

    message = error_of("", layout::Format::alto);
    EXPECT_NE(message.find("is empty"), std::string::npos) << message;
    message = error_of("<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v4#\"><Layout/></alto>");
    EXPECT_NE(message.find("without any words"), std::string::npos) << message;
    message = error_of("<PcGts xmlns=\"http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15\"><Page>"
                       "<TextRegion id=\"r\"><TextEquiv><Unicode>Tbe text</Unicode></TextEquiv></TextRegion></Page></PcGts>");
    EXPECT_NE(message.find("text only at the region level"), std::string::npos) << message;
    message = error_of(kHocr, layout::Format::alto);
    EXPECT_NE(message.find("is hocr, not alto"), std::string::npos) << message;

    // Entities are never expanded: a DOCTYPE that declares them is refused.
    message = error_of("<?xml version=\"1.0\"?><!DOCTYPE alto [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                       "<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v3#\"><String CONTENT=\"&x;\"/></alto>");
    EXPECT_NE(message.find("entities"), std::string::npos) << message;

    // What pugixml lets through and XML does not: HTML's entities (which would come back as
    // `&amp;nbsp;`), references to no character (`&#0;` cut the word), control characters.
    const std::string alto_line = "<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v3#\"><TextLine><String CONTENT=\"";
    message = error_of(alto_line + "gov&nbsp;emment\"/></TextLine></alto>");
    EXPECT_NE(message.find("the entity &nbsp;"), std::string::npos) << message;
    EXPECT_NE(message.find("xmllint --html"), std::string::npos) << message;
    for (const char* reference : {"&#0;", "&#xD800;", "&#x110000;", "&#1;"}) {
        message = error_of(alto_line + "go" + reference + "vt\"/></TextLine></alto>");
        EXPECT_NE(message.find("names no character XML allows"), std::string::npos) << message;
    }
    // Bytes that are not UTF-8 are found where they are in the file, not in the words' text.
    message = error_of(alto_line + "ok\"/>\n<String CONTENT=\"caf\xE9\"/></TextLine></alto>");
    EXPECT_NE(message.find("offset 108, line 2"), std::string::npos) << message;
    message = error_of(alto_line + "go\x01vt\"/></TextLine></alto>");
    EXPECT_NE(message.find("control character 0x01"), std::string::npos) << message;
    EXPECT_EQ(error_of(alto_line + "AT&amp;T &#xE9; &#233;\"/><!-- &nbsp; \x01 --></TextLine></alto>"), "");

    // Nesting deep enough to exhaust a recursive reader's stack is refused before reading.
    std::string deep = "<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v3#\"><Layout>";
    for (int i = 0; i < 200000; ++i) deep += "<a>";
    for (int i = 0; i < 200000; ++i) deep += "</a>";
    deep += "<TextLine><String CONTENT=\"tbe\"/></TextLine></Layout></alto>";
    message = error_of(deep);
    EXPECT_NE(message.find("nests elements more than 256 deep"), std::string::npos) << message;
}

TEST(LayoutPage, ANewWordsIdIsUnique) {
    std::string input = page_xml("2019-07-15");
    input.replace(input.find("id=\"w3\""), 7, "id=\"w2_1\"");  // the id a split of w2 would take
    auto document = layout::Document::parse(input, "in.xml");
    CorrectionResult result;
    result.edits = {edit_of(document.text(), "Govemment", "Gov emment")};
    document.apply(result);
    pugi::xml_document xml = load(document.serialize());
    EXPECT_EQ(by_attribute(xml, "id", "w2").next_sibling(), by_attribute(xml, "id", "w2_2"));
    EXPECT_STREQ(by_attribute(xml, "id", "w2_1").child("TextEquiv").child_value("Unicode"), "Verbrei\xC2\xAD");
}

TEST(Layout, WhatIsWrittenReadsBackAsTheCorrectedText) {
    for (const std::string& input : {kAlto, kHocr, page_xml("2019-07-15")}) {
        auto document = layout::Document::parse(input, "in");
        SCOPED_TRACE(std::string(layout::format_name(document.format())));
        CorrectionResult result = edits_for(document.text());
        result.edits.erase(result.edits.begin() + 3);  // the one across the line break
        result.text = ocrfix::apply_edits(document.text(), result.edits);
        const auto report = document.apply(result);
        EXPECT_EQ(report.not_applied, 0u);
        const auto again = layout::Document::parse(document.serialize(), "out");
        EXPECT_EQ(again.text(), result.text);
        EXPECT_EQ(again.format(), document.format());
    }
}

TEST(LayoutHocr, ReadsTheSpecsHocrWithoutNamespaceOrParagraphs) {
    const std::string input = R"(<html><head><title>x</title><meta name="ocr-system" content="any"/></head>
<body><div class="ocr_page" title="bbox 0 0 100 100">
<span class="ocr_line" title="bbox 0 0 100 10"><span class="ocrx_word" title="bbox 0 0 20 10; x_wconf 55">Tbe</span>
<span class="ocrx_word" title="bbox 25 0 60 10">cat</span></span>
<span class="ocr_header" title="bbox 0 20 100 30"><span class="ocrx_word" title="bbox 0 20 40 30">end</span></span>
</div></body></html>)";
    auto document = layout::Document::parse(input, "spec.html");
    EXPECT_EQ(document.format(), layout::Format::hocr);
    EXPECT_EQ(document.text(), "Tbe cat\nend");
    EXPECT_NEAR(document.words()[0].confidence, 0.55, 1e-9);
    EXPECT_EQ(document.words()[1].confidence, -1.0);
    CorrectionResult result;
    result.edits = {edit_of(document.text(), "Tbe", "The")};
    document.apply(result);
    pugi::xml_document xml = load(document.serialize());
    pugi::xml_node word = xml.find_node([](pugi::xml_node n) { return n.attribute("data-ocrfix-original"); });
    EXPECT_STREQ(word.child_value(), "The");
    EXPECT_STREQ(word.attribute("data-ocrfix-original").value(), "Tbe");
}

TEST(LayoutAlto, KeepsTheNamespacePrefixOfElementsItAdds) {
    const std::string input = R"(<alto:alto xmlns:alto="http://www.loc.gov/standards/alto/ns-v4#"><alto:Layout><alto:Page>
<alto:PrintSpace><alto:TextBlock><alto:TextLine><alto:String CONTENT="tbe" HPOS="1.5" VPOS="2" WIDTH="10" HEIGHT="5"/><alto:SP/>
<alto:String CONTENT="catdog" HPOS="13" VPOS="2" WIDTH="12.5" HEIGHT="5"/></alto:TextLine></alto:TextBlock>
</alto:PrintSpace></alto:Page></alto:Layout></alto:alto>)";
    auto document = layout::Document::parse(input, "prefixed.xml");
    EXPECT_EQ(document.text(), "tbe catdog");
    CorrectionResult result;
    result.edits = {edit_of(document.text(), "tbe", "the"), edit_of(document.text(), "catdog", "cat dog")};
    document.apply(result);
    pugi::xml_document xml = load(document.serialize());
    pugi::xml_node line = xml.find_node([](pugi::xml_node n) { return std::string(n.name()) == "alto:TextLine"; });
    EXPECT_STREQ(line.first_child().child_value("alto:ALTERNATIVE"), "tbe");
    pugi::xml_node cat = line.find_child_by_attribute("alto:String", "CONTENT", "cat");
    ASSERT_TRUE(cat);
    EXPECT_STREQ(cat.next_sibling().name(), "alto:SP");
    // Fractional coordinates stay fractional: 12.5 px over 7 characters.
    EXPECT_STREQ(cat.attribute("HPOS").value(), "13");
    EXPECT_STREQ(cat.attribute("WIDTH").value(), "5.36");
    EXPECT_STREQ(cat.next_sibling().next_sibling().attribute("CONTENT").value(), "dog");
    EXPECT_STREQ(cat.next_sibling().next_sibling().attribute("HPOS").value(), "20.14");
}

TEST(Layout, LeavesLineEndHyphensToTheFormat) {
    for (const std::string& input : {kAlto, kHocr, page_xml("2019-07-15")}) {
        auto document = layout::Document::parse(input, "in");
        SCOPED_TRACE(std::string(layout::format_name(document.format())));
        const std::string& text = document.text();
        const std::size_t hyphen = text.find("-\n");
        CorrectionResult result;
        // A profile's mark for the hyphen, and a join of the two parts: both left out.
        result.edits = {{hyphen, hyphen + 1, "\xC2\xAC", 1.0, "convention"}};
        EXPECT_EQ(document.apply(result).not_applied, 1u);
        auto joined = layout::Document::parse(input, "in");
        result.edits = {{hyphen, hyphen + 2, "", 1.0, "convention"}};
        EXPECT_EQ(joined.apply(result).not_applied, 1u);
        EXPECT_EQ(xml_difference(input, document.serialize()), "");
        EXPECT_EQ(xml_difference(input, joined.serialize()), "");
    }
}

namespace {

// A PAGE line of words with a Glyph per character, 10 px each from x = 0 (a space is 10 px
// too); glyph ids "w<word>g<character>".
std::string page_with_glyphs(const std::vector<std::string>& words) {
    std::string line, x_words;
    int x = 0;
    for (std::size_t w = 0; w < words.size(); ++w) {
        std::string glyphs;
        const int start = x;
        for (std::size_t c = 0; c < words[w].size(); ++c, x += 10) {
            const std::string box = std::to_string(x) + ",0 " + std::to_string(x + 10) + ",0 " +
                                    std::to_string(x + 10) + ",20 " + std::to_string(x) + ",20";
            glyphs += "<Glyph id=\"w" + std::to_string(w) + "g" + std::to_string(c) + "\"><Coords points=\"" + box +
                      "\"/><TextEquiv conf=\"0.5\"><Unicode>" + words[w][c] + "</Unicode></TextEquiv></Glyph>";
        }
        line += "<Word id=\"w" + std::to_string(w) + "\"><Coords points=\"" + std::to_string(start) + ",0 " +
                std::to_string(x) + ",0 " + std::to_string(x) + ",20 " + std::to_string(start) + ",20\"/>" + glyphs +
                "<TextEquiv><Unicode>" + words[w] + "</Unicode></TextEquiv></Word>";
        x += 10;
    }
    return R"(<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"><Page>
<TextRegion id="r"><TextLine id="l"><Coords points="0,0 1,0 1,1 0,1"/>)" +
           line + "</TextLine></TextRegion></Page></PcGts>";
}

// The first reading of each Glyph of `word`, and the glyphs' ids, in order.
std::vector<std::string> glyph_readings(pugi::xml_node word, std::vector<std::string>* ids = nullptr) {
    std::vector<std::string> readings;
    for (pugi::xml_node glyph : word.children("Glyph")) {
        pugi::xml_node first = glyph.find_child_by_attribute("TextEquiv", "index", "0");
        if (!first) first = glyph.child("TextEquiv");
        readings.emplace_back(first.child_value("Unicode"));
        if (ids) ids->emplace_back(glyph.attribute("id").value());
    }
    return readings;
}

// `input` with each (original, replacement) edit applied, written and read back.
pugi::xml_document corrected_xml(const std::string& input,
                                 const std::vector<std::pair<std::string, std::string>>& replacements) {
    auto document = layout::Document::parse(input, "in.xml");
    CorrectionResult result;
    for (const auto& [original, replacement] : replacements)
        result.edits.push_back(edit_of(document.text(), original, replacement));
    document.apply(result);
    return load(document.serialize());
}

std::string joined(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& part : parts) out += part;
    return out;
}

}  // namespace

TEST(LayoutPage, GlyphsGetTheirPartOfTheCorrectedWord) {
    pugi::xml_document xml =
        corrected_xml(page_with_glyphs({"Govemment", "tbe"}), {{"Govemment", "Government"}, {"tbe", "the"}});
    pugi::xml_node word = by_attribute(xml, "id", "w0");
    std::vector<std::string> ids;
    const auto readings = glyph_readings(word, &ids);
    EXPECT_EQ(joined(readings), "Government");
    EXPECT_EQ(readings.size(), 9u);  // every glyph kept, in order
    EXPECT_EQ(ids.front(), "w0g0");
    EXPECT_EQ(ids.back(), "w0g8");
    // The glyphs that changed say so the way the word does; the others are as they were.
    pugi::xml_node b = by_attribute(xml, "id", "w1g1");
    EXPECT_STREQ(b.find_child_by_attribute("TextEquiv", "index", "0").child_value("Unicode"), "h");
    EXPECT_STREQ(b.find_child_by_attribute("TextEquiv", "index", "1").child_value("Unicode"), "b");
    EXPECT_STREQ(b.find_child_by_attribute("TextEquiv", "index", "1").attribute("conf").value(), "0.5");
    EXPECT_FALSE(by_attribute(xml, "id", "w1g0").child("TextEquiv").attribute("index"));
    // PAGE's order inside Word: Coords, Glyph*, TextEquiv*.
    EXPECT_STREQ(word.first_child().name(), "Coords");
    EXPECT_STREQ(word.last_child().name(), "TextEquiv");
}

TEST(LayoutPage, GlyphsMoveWithTheWordsTheyJoinOrSplitInto) {
    auto document = layout::Document::parse(page_with_glyphs({"Gov", "emment", "ofthe"}), "glyphs.xml");
    CorrectionResult result;
    result.edits = {edit_of(document.text(), "Gov emment", "Govemment"), edit_of(document.text(), "ofthe", "of the")};
    document.apply(result);
    const std::string written = document.serialize();
    pugi::xml_document xml = load(written);

    pugi::xml_node joined_word = by_attribute(xml, "id", "w0");
    std::vector<std::string> ids;
    EXPECT_EQ(joined(glyph_readings(joined_word, &ids)), "Govemment");
    EXPECT_EQ(ids.size(), 9u);
    EXPECT_EQ(ids[3], "w1g0");  // the second word's glyphs follow the first's
    EXPECT_STREQ(joined_word.last_child().name(), "TextEquiv");

    pugi::xml_node of = by_attribute(xml, "id", "w2"), the = by_attribute(xml, "id", "w2_1");
    ASSERT_TRUE(the);
    EXPECT_EQ(joined(glyph_readings(of)), "of");
    EXPECT_EQ(joined(glyph_readings(the)), "the");
    // The split's boxes are where its glyphs are (x 110..160), not a share of the characters.
    EXPECT_STREQ(of.child("Coords").attribute("points").value(), "110,0 130,0 130,20 110,20");
    EXPECT_STREQ(the.child("Coords").attribute("points").value(), "130,0 160,0 160,20 130,20");
    EXPECT_EQ(layout::Document::parse(written, "out.xml").text(), "Govemment of the");
}

TEST(LayoutPage, GlyphsThatSpellSomethingElseAreLeftAlone) {
    std::string input = page_with_glyphs({"tbe"});
    input.replace(input.find("<Unicode>b</Unicode>"), 20, "<Unicode>x</Unicode>");
    pugi::xml_document xml = corrected_xml(input, {{"tbe", "the"}});
    EXPECT_EQ(joined(glyph_readings(by_attribute(xml, "id", "w0"))), "txe");
}

TEST(LayoutAlto, GlyphsGetTheirPartAndKeepTheOldReadingAsAVariant) {
    const std::string input = R"(<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page><PrintSpace>
<TextBlock><TextLine><String ID="s1" CONTENT="tbe" HPOS="0" VPOS="0" WIDTH="30" HEIGHT="20">
<Glyph ID="g1" CONTENT="t" GC="0.9" HPOS="0" VPOS="0" WIDTH="10" HEIGHT="20"/>
<Glyph ID="g2" CONTENT="b" GC="0.3" HPOS="10" VPOS="0" WIDTH="10" HEIGHT="20"><Variant CONTENT="h" VC="0.2"/></Glyph>
<Glyph ID="g3" CONTENT="e" GC="0.9" HPOS="20" VPOS="0" WIDTH="10" HEIGHT="20"/></String><SP/>
<String ID="s2" CONTENT="catdog" HPOS="40" VPOS="0" WIDTH="60" HEIGHT="20"><Glyph ID="c" CONTENT="cat" HPOS="40" VPOS="0" WIDTH="30" HEIGHT="20"/><Glyph ID="d" CONTENT="dog" HPOS="70" VPOS="0" WIDTH="30" HEIGHT="20"/></String>
</TextLine></TextBlock></PrintSpace></Page></Layout></alto>)";
    auto document = layout::Document::parse(input, "glyphs.xml");
    CorrectionResult result;
    result.edits = {edit_of(document.text(), "tbe", "the"), edit_of(document.text(), "catdog", "cat dog")};
    document.apply(result);
    pugi::xml_document xml = load(document.serialize());
    pugi::xml_node g2 = by_attribute(xml, "ID", "g2");
    EXPECT_STREQ(g2.attribute("CONTENT").value(), "h");
    EXPECT_FALSE(g2.attribute("GC"));
    EXPECT_STREQ(g2.first_child().attribute("CONTENT").value(), "b");
    EXPECT_STREQ(g2.first_child().attribute("VC").value(), "0.3");
    EXPECT_STREQ(g2.last_child().attribute("CONTENT").value(), "h");  // the OCR's own variant stays
    EXPECT_STREQ(by_attribute(xml, "ID", "g1").attribute("GC").value(), "0.9");
    // A split word's glyphs go with their part: one Glyph each, and no copy of them.
    pugi::xml_node cat = by_attribute(xml, "ID", "s2"), dog = by_attribute(xml, "ID", "s2_1");
    ASSERT_TRUE(dog);
    EXPECT_STREQ(cat.attribute("CONTENT").value(), "cat");
    EXPECT_EQ(cat.child("Glyph"), by_attribute(xml, "ID", "c"));
    EXPECT_FALSE(cat.child("Glyph").next_sibling("Glyph"));
    EXPECT_EQ(dog.child("Glyph"), by_attribute(xml, "ID", "d"));
    EXPECT_FALSE(dog.child("Glyph").next_sibling("Glyph"));
    EXPECT_STREQ(dog.attribute("HPOS").value(), "70");
    EXPECT_STREQ(dog.attribute("WIDTH").value(), "30");
}

TEST(LayoutPage, ReadsTheRegionsInTheReadingOrder) {
    // Written r1 r2 r3 r4 (r4 inside a table); read as the ReadingOrder says: r3, then the
    // unordered group (r4, then r1), then r2, which it leaves out. A reference to no region
    // and a second reference to r3 are passed over.
    auto region = [](const std::string& id, const std::string& text) {
        return "<TextRegion id=\"" + id + "\"><TextLine id=\"" + id + "l\"><TextEquiv><Unicode>" + text +
               "</Unicode></TextEquiv></TextLine></TextRegion>";
    };
    const std::string input =
        R"(<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"><Page>
<ReadingOrder><OrderedGroup id="g"><UnorderedGroupIndexed index="5" id="u"><RegionRef regionRef="r4"/>
<RegionRef regionRef="gone"/><RegionRef regionRef="r1"/></UnorderedGroupIndexed>
<RegionRefIndexed index="2" regionRef="r3"/><RegionRefIndexed index="9" regionRef="r3"/></OrderedGroup></ReadingOrder>)" +
        region("r1", "first written") + region("r2", "left out") + region("r3", "tbe start") +
        "<TableRegion id=\"t\">" + region("r4", "in a table") + "</TableRegion></Page></PcGts>";
    auto document = layout::Document::parse(input, "order.xml");
    EXPECT_EQ(document.text(), "tbe start\n\nin a table\n\nfirst written\n\nleft out");
    CorrectionResult result;
    result.edits = {edit_of(document.text(), "tbe", "the")};
    document.apply(result);
    pugi::xml_document xml = load(document.serialize());
    EXPECT_STREQ(by_attribute(xml, "id", "r3l").find_child_by_attribute("TextEquiv", "index", "0").child_value("Unicode"),
                 "the start");
    EXPECT_FALSE(by_attribute(xml, "id", "r1l").find_child_by_attribute("TextEquiv", "index", "0"));

    // Without a ReadingOrder, the file's order.
    std::string unordered = input;
    unordered.erase(unordered.find("<ReadingOrder>"), unordered.find("</ReadingOrder>") + 15 - unordered.find("<ReadingOrder>"));
    EXPECT_EQ(layout::Document::parse(unordered, "plain.xml").text(), "first written\n\nleft out\n\ntbe start\n\nin a table");
}

TEST(LayoutHocr, CharacterBoxesSpellTheWordAndGetTheirPartOfTheCorrection) {
    // As Tesseract writes them with hocr_char_boxes=1: indented, one span per character.
    auto word = [](const std::string& id, const std::string& text, int x, bool strong = false) {
        std::string spans;
        for (std::size_t c = 0; c < text.size(); ++c)
            spans += "\n   <span class='ocrx_cinfo' title='x_bboxes " + std::to_string(x + 10 * static_cast<int>(c)) +
                     " 0 " + std::to_string(x + 10 * static_cast<int>(c) + 10) + " 20; x_conf 90'>" + text[c] + "</span>";
        if (strong) spans = "<strong>" + spans + "</strong>";
        return "<span class='ocrx_word' id='" + id + "' title='bbox " + std::to_string(x) + " 0 " +
               std::to_string(x + 10 * static_cast<int>(text.size())) + " 20; x_wconf 50'>" + spans + "\n  </span>\n  ";
    };
    const std::string input = "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><div class='ocr_page'>"
                              "<span class='ocr_line' title='bbox 0 0 500 20'>\n  " +
                              word("w1", "tbe", 0) + word("w2", "catdog", 40, true) + "</span></div></body></html>";
    auto document = layout::Document::parse(input, "chars.hocr");
    EXPECT_EQ(document.text(), "tbe catdog");
    CorrectionResult result;
    result.edits = {edit_of(document.text(), "tbe", "the"), edit_of(document.text(), "catdog", "cat dog")};
    document.apply(result);
    const std::string written = document.serialize();
    pugi::xml_document xml = load(written);
    auto characters = [](pugi::xml_node node) {
        std::vector<std::string> out;
        for (pugi::xpath_node found : node.select_nodes(".//*[@class='ocrx_cinfo']"))
            out.emplace_back(found.node().child_value());
        return out;
    };
    EXPECT_EQ(characters(by_attribute(xml, "id", "w1")), (std::vector<std::string>{"t", "h", "e"}));
    EXPECT_STREQ(by_attribute(xml, "id", "w1").attribute("data-ocrfix-original").value(), "tbe");
    pugi::xml_node h = by_attribute(xml, "id", "w1").select_node(".//*[@data-ocrfix-original='b']").node();
    EXPECT_STREQ(h.child_value(), "h");
    // The split: each word keeps its own characters, once, and its box is theirs.
    pugi::xml_node cat = by_attribute(xml, "id", "w2"), dog = by_attribute(xml, "id", "w2_1");
    ASSERT_TRUE(dog);
    EXPECT_EQ(characters(cat), (std::vector<std::string>{"c", "a", "t"}));
    EXPECT_EQ(characters(dog), (std::vector<std::string>{"d", "o", "g"}));
    EXPECT_EQ(std::string(dog.attribute("title").value()).rfind("bbox 70 0 100 20", 0), 0u) << dog.attribute("title").value();
    EXPECT_EQ(layout::Document::parse(written, "again.hocr").text(), "the cat dog");
}

TEST(Layout, EachWordKnowsTheEditsWrittenOntoItAfterOneLeftOut) {
    auto document = layout::Document::parse(page_xml("2019-07-15"), "in.xml");
    const std::string original = document.text();
    // The one across the line break is left out, and shifts the text after it by a byte;
    // the words after it still get their own edits, not their neighbours'.
    const CorrectionResult result = edits_for(original);
    const auto report = document.apply(result);
    ASSERT_EQ(report.not_applied, 1u);
    EXPECT_EQ(report.applied_edits, (std::vector<std::size_t>{0, 1, 2, 4, 5, 6}));
    const auto corrected = layout::Document::parse(document.serialize(), "out.xml");
    const auto edits = layout::edits_of_words(corrected, original, result, report.applied_edits);
    ASSERT_EQ(edits.size(), corrected.words().size());
    std::map<std::string, std::vector<std::size_t>> by_word;
    for (std::size_t i = 0; i < edits.size(); ++i) by_word[corrected.words()[i].text] = edits[i];
    EXPECT_EQ(by_word["the"], (std::vector<std::size_t>{0}));
    EXPECT_EQ(by_word["Government"], (std::vector<std::size_t>{1}));
    EXPECT_EQ(by_word["tang"], (std::vector<std::size_t>{4}));
    EXPECT_EQ(by_word["something"], (std::vector<std::size_t>{5}));
    EXPECT_EQ(by_word["Verbrej\xC2\xAD"], (std::vector<std::size_t>{2}));
    EXPECT_EQ(by_word["new word"], (std::vector<std::size_t>{6}));  // a line without words: one
}

TEST(LayoutAlto, ManySplitsGiveEveryNewWordItsOwnId) {
    // 20,000 words on 2,000 lines, each split in two: every new String gets an id no other
    // element has (the ids are gathered once, not looked for in the whole tree per split).
    std::string input = R"(<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page><PrintSpace><TextBlock>)";
    for (int line = 0; line < 2000; ++line) {
        input += "<TextLine>";
        for (int word = 0; word < 10; ++word) {
            const std::string id = "s" + std::to_string(line * 10 + word);
            input += "<String ID=\"" + id + "\" CONTENT=\"ofthe\" HPOS=\"" + std::to_string(word * 60) +
                     "\" VPOS=\"0\" WIDTH=\"50\" HEIGHT=\"9\"/>" + (word < 9 ? "<SP/>" : "");
        }
        input += "</TextLine>";
    }
    input += "<TextLine><String ID=\"s0_1\" CONTENT=\"taken\"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>";
    auto document = layout::Document::parse(input, "many.xml");
    CorrectionResult result;
    for (const auto& word : document.words())
        if (word.text == "ofthe") result.edits.push_back({word.begin + 2, word.begin + 2, " ", 1.0, "test"});
    EXPECT_EQ(document.apply(result).applied, 20000u);
    pugi::xml_document xml = load(document.serialize());
    std::set<std::string> ids;
    std::size_t strings = 0;
    for (pugi::xpath_node node : xml.select_nodes("//*[local-name()='String']")) {
        ++strings;
        ids.insert(node.node().attribute("ID").value());
    }
    EXPECT_EQ(strings, 40001u);
    EXPECT_EQ(ids.size(), strings);
    EXPECT_TRUE(ids.contains("s0_2"));  // s0_1 was taken
}

TEST(Layout, AFileInLatin1IsWrittenBackInUtf8AndSaysSo) {
    const std::string input = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
                              "<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v3#\"><TextLine><String CONTENT=\"caf\xE9\"/>"
                              "<SP/><String CONTENT=\"tbe\"/></TextLine></alto>";
    auto document = layout::Document::parse(input, "latin1.xml");
    EXPECT_EQ(document.text(), "caf\xC3\xA9 tbe");
    CorrectionResult result;
    result.edits = {edit_of(document.text(), "tbe", "the")};
    document.apply(result);
    const std::string written = document.serialize();
    EXPECT_NE(written.find("encoding=\"UTF-8\""), std::string::npos) << written;
    EXPECT_EQ(layout::Document::parse(written, "again.xml").text(), "caf\xC3\xA9 the");
}

TEST(Layout, AWordReadWithSpacesInsideStaysOneWord) {
    // One ALTO String of 10,000 words: correcting them rewrites its CONTENT, with the old one
    // kept once, instead of 10,000 Strings each holding all of it.
    std::string content;
    for (int i = 0; i < 10000; ++i) content += i ? " tbe" : "tbe";
    const std::string input = "<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v3#\"><TextLine><String ID=\"s\" "
                              "HPOS=\"0\" VPOS=\"0\" WIDTH=\"100\" HEIGHT=\"9\" CONTENT=\"" + content + "\"/></TextLine></alto>";
    auto document = layout::Document::parse(input, "spaced.xml");
    CorrectionResult result;
    for (std::size_t at = 0; at < document.text().size(); at += 4) result.edits.push_back({at, at + 3, "the", 1.0, "test"});
    EXPECT_EQ(document.apply(result).applied, 10000u);
    const std::string written = document.serialize();
    EXPECT_LT(written.size(), 3 * input.size());
    pugi::xml_document xml = load(written);
    EXPECT_EQ(xml.select_nodes("//*[local-name()='String']").size(), 1u);
    EXPECT_EQ(std::string(by_attribute(xml, "ID", "s").attribute("CONTENT").value()).substr(0, 8), "the the ");
}

TEST(Layout, AWordSplitInThreeGetsIdsFromItsOwnAndNoBoxFromImplausibleCoordinates) {
    const std::string input = R"(<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#"><TextLine>
<String ID="s" HPOS="0" VPOS="0" WIDTH="90" HEIGHT="9" CONTENT="ofthecat"/><SP/>
<String ID="t" HPOS="1e308" VPOS="inf" WIDTH="NaN" HEIGHT="10" CONTENT="andthe"/></TextLine></alto>)";
    auto document = layout::Document::parse(input, "three.xml");
    CorrectionResult result;
    result.edits = {edit_of(document.text(), "ofthecat", "of the cat"), edit_of(document.text(), "andthe", "and the")};
    document.apply(result);
    pugi::xml_document xml = load(document.serialize());
    EXPECT_TRUE(by_attribute(xml, "ID", "s_1"));
    EXPECT_TRUE(by_attribute(xml, "ID", "s_2"));
    EXPECT_FALSE(by_attribute(xml, "ID", "s_1_1"));
    // Coordinates no page has (infinite, not a number, 1e308): the pieces keep them as read.
    pugi::xml_node t = by_attribute(xml, "ID", "t");
    EXPECT_STREQ(t.attribute("HPOS").value(), "1e308");
    EXPECT_STREQ(t.attribute("HEIGHT").value(), "10");
    EXPECT_STREQ(by_attribute(xml, "ID", "t_1").attribute("CONTENT").value(), "the");
}

TEST(LayoutPage, AGlyphWhoseCharacterWentStaysInItsOwnWord) {
    pugi::xml_document xml = corrected_xml(page_with_glyphs({"foo", "|x"}), {{"foo |x", "foo x"}});
    std::vector<std::string> ids;
    EXPECT_EQ(glyph_readings(by_attribute(xml, "id", "w1"), &ids), (std::vector<std::string>{"", "x"}));
    EXPECT_EQ(ids, (std::vector<std::string>{"w1g0", "w1g1"}));
    EXPECT_EQ(joined(glyph_readings(by_attribute(xml, "id", "w0"))), "foo");
}

TEST(LayoutHocr, AWordWhoseCharactersAllMoveKeepsItsText) {
    // `dog` read with three character boxes, corrected to `a dog`: none of them is the `a`, so
    // the word kept holds `a` itself and the new word gets the boxes.
    const std::string input = "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><div class='ocr_page'>"
                              "<span class='ocr_line'><span class='ocrx_word' id='w' title='bbox 0 0 30 9'>"
                              "<span class='ocrx_cinfo' title='x_bboxes 0 0 10 9'>d</span>"
                              "<span class='ocrx_cinfo' title='x_bboxes 10 0 20 9'>o</span>"
                              "<span class='ocrx_cinfo' title='x_bboxes 20 0 30 9'>g</span></span></span></div></body></html>";
    auto document = layout::Document::parse(input, "dog.hocr");
    CorrectionResult result;
    result.edits = {edit_of(document.text(), "dog", "a dog")};
    EXPECT_EQ(document.apply(result).applied, 1u);
    const std::string written = document.serialize();
    EXPECT_EQ(layout::Document::parse(written, "again.hocr").text(), "a dog");
    pugi::xml_document xml = load(written);
    EXPECT_FALSE(by_attribute(xml, "id", "w").find_child([](pugi::xml_node n) {
        return std::string(n.attribute("class").value()) == "ocrx_cinfo";
    }));
    EXPECT_STREQ(by_attribute(xml, "id", "w_1").first_child().child_value(), "d");
}
