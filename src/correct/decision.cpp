#include "correct/decision.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "correct/rules/registry.h"

#include "text/normalize.h"
#include "text/tokens.h"
#include "text/utf8.h"

namespace ocrfix::correct {

namespace {
constexpr double kMarginClip = 10.0;  // runner_margin is clipped to +-this in the fit
constexpr int kMaxPlausible = 3;      // candidates per slot
constexpr int kMaxNeighbours = 4;     // neighbours are counted up to this in the fit
constexpr double kMaxSuspectShare = 0.5;  // suspect_share is clipped to this in the fit
}  // namespace

double suspect_share(std::string_view text, const lexicon::Lexicon& lexicon) {
    int words = 0, unknown = 0;
    for (const auto& token : text::tokenize(text)) {
        if (token.kind != text::TokenKind::word) continue;
        const std::u32string points = text::to_code_points(token.view(text));
        if (points.size() < 2 || !std::all_of(points.begin(), points.end(), [](char32_t c) { return text::is_letter(c); }))
            continue;
        ++words;
        if (!lexicon.is_known(token.view(text))) ++unknown;
    }
    return words == 0 ? 0.0 : static_cast<double>(unknown) / words;
}

double DecisionModel::log_odds(const DecisionFeatures& f) const {
    double z = bias + gain * f.gain + channel_cost * f.channel_cost + log_prior * f.log_prior +
               original_log_frequency * f.original_log_frequency +
               (f.hunspell_accepts_original ? hunspell_accepts_original : 0.0) + (f.capitalised ? capitalised : 0.0) +
               (f.english ? english + gain_if_english * f.gain : 0.0) +
               runner_margin * std::clamp(f.runner_margin, -kMarginClip, kMarginClip) + plausible * f.plausible +
               neighbours * std::min(f.neighbours, kMaxNeighbours) +
               (f.short_word ? short_word : 0.0) + (f.all_caps ? all_caps : 0.0) + (f.from_rewrite ? rewrite : 0.0) +
               suspect_share * std::min(f.suspect_share, kMaxSuspectShare);
    z += ocr_terms(f);
    if (f.german) z += german.bias + german.channel_cost * f.channel_cost;
    // Confidences say how clean the page is themselves: quiet stands in for them.
    if (f.quiet && f.channel_cost > quiet_evidence_cost && f.ocr_confidence < 0.0) z += quiet;
    // The kinds the gain alone judges (the rule registry's bars) add nothing here.
    if (f.kind == ProposalKind::real_word) z += real_word;
    else if (f.kind == ProposalKind::split) z += split;
    else if (f.kind == ProposalKind::merge || f.kind == ProposalKind::join) z += join_or_merge;
    else if (f.kind == ProposalKind::garbled) z += garbled.bias + garbled.channel_cost * f.channel_cost;
    else if (f.kind == ProposalKind::non_word && f.english && f.suspect_share >= noisy_share) z += noisy_non_word;
    return z;
}

double DecisionModel::ocr_terms(const DecisionFeatures& f) const {
    if (f.ocr_confidence < 0.0) return 0.0;
    if (f.unsure_share < 0.0) return ocr_confidence_known_alone + ocr_confidence_alone * f.ocr_confidence;
    return ocr_confidence_known + ocr_confidence * f.ocr_confidence +
           (ocr_page_unsure + (f.ocr_confidence >= ocr_sure_word ? ocr_page_unsure_sure_word : 0.0)) *
               std::log(f.unsure_share + ocr_page_unsure_floor) +
           (f.unsure_share < ocr_clean_page_below ? ocr_clean_page : 0.0);
}

double DecisionModel::gain_alone_bar(ProposalKind kind) const {
    return kind_info(kind).gain_alone_bar.value();  // throws for a kind the fitted model judges
}

bool DecisionModel::rescue_applies(const DecisionFeatures& f) const {
    return f.english && f.kind == ProposalKind::non_word && !f.from_rewrite && !f.capitalised &&
           f.only_adds_letters && f.length <= rescue_max_length;
}

double DecisionModel::margin(const DecisionFeatures& f, double score) const {
    if (judged_by_gain_alone(f.kind))
        return score - gain_alone_bar(f.kind) + ocr_terms(f) / (gain + (f.english ? gain_if_english : 0.0));
    const double z = log_odds(f);
    double margin = z - threshold;
    if (rescue_applies(f)) {
        const double bar = rescue_bar - (f.plausible == 1 && score > 0.0 ? rescue_sole_reading : 0.0);
        margin = std::max(margin, std::min(score - bar, z - rescue_floor));
    }
    return margin;
}

bool DecisionModel::worth_scoring(const DecisionFeatures& f) const {
    if (judged_by_gain_alone(f.kind)) return true;
    return best_case_log_odds(f) > (rescue_applies(f) ? std::min(threshold, rescue_floor) : threshold);
}

double DecisionModel::best_case_log_odds(DecisionFeatures f) const {
    f.gain = max_useful_gain;
    f.runner_margin = runner_margin >= 0 ? kMarginClip : -kMarginClip;
    f.plausible = plausible >= 0 ? kMaxPlausible : 0;
    f.neighbours = neighbours >= 0 ? kMaxNeighbours : 0;
    return log_odds(f);
}

}  // namespace ocrfix::correct
