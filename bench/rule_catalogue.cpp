// Prints the rule catalogue (every context rule of src/correct/rules/registry.cpp: name,
// languages, kind, bar, examples) as Markdown, the text of docs/QUALITY.md's "Rule
// catalogue" section; tests/unit/rule_catalogue_test.cpp keeps the two equal.
//
//   rule_catalogue > /tmp/catalogue.md
#include <iostream>

#include "correct/rules/registry.h"

int main() {
    std::cout << ocrfix::correct::rule_catalogue_markdown();
    return 0;
}
