// The review agenda (analytics/review.h) as a document to share after the meeting: Markdown for a
// wiki or a pull request, or one self-contained HTML page (inline CSS, no scripts). What
// `cascade review --format md|html` prints.
#pragma once

#include <string>

#include "analytics/review.h"
#include "core/model.h"
#include "core/rollup.h"

namespace cascade {

// `recorded`, when not null, is the review this run stored; the document ends by saying so.
std::string ReviewAgendaToMarkdown(const Workspace& ws, const Rollup& rollup,
                                   const ReviewAgenda& agenda, const Review* recorded = nullptr);

// An HTML5 document that is also well-formed XML, every text escaped.
std::string ReviewAgendaToHtml(const Workspace& ws, const Rollup& rollup,
                               const ReviewAgenda& agenda, const Review* recorded = nullptr);

}  // namespace cascade
