"""The dashboard's accessibility styles, sent in the head of every page
(`dashboard.html_document`).

Each rule fixes something axe-core (tests/dashboard/test_browser_a11y.py) or a reader found
in Streamlit's defaults:
- captions and other muted text are drawn at 60 % opacity of the text colour, which gives
  3.9:1 on white; WCAG AA asks 4.5:1 for small text, so they get a solid #555 (7.5:1);
- sections are h2 under the page's h1 (axe's heading order; st.subheader would skip to
  h3), drawn at the size Streamlit gives h3 so the pages keep their look;
- Streamlit's own status widget ("Running…", "Stop") and main menu speak English and
  cannot be translated; the dashboard has its own buttons, so they are hidden.
"""

from __future__ import annotations

MUTED_TEXT = "#555555"
"""7.5:1 on white, 6.9:1 on Streamlit's light grey sidebar (#F0F2F6)."""

STYLE = (
    '[data-testid="stCaptionContainer"],[data-testid="stCaptionContainer"] p,'
    '[data-testid="stWidgetLabel"] small,[data-testid="stMetricLabel"] small,'
    '[data-testid="stTooltipHoverTarget"] svg'
    f"{{color:{MUTED_TEXT} !important;opacity:1 !important}}"
    '[data-testid="stHeading"] h2{font-size:1.5rem !important;padding:0.75rem 0 0.5rem}'
    '[data-testid="stSidebar"] [data-testid="stHeading"] h2{font-size:1.25rem !important}'
    '[data-testid="stStatusWidget"],[data-testid="stMainMenu"],'
    '[data-testid="stAppDeployButton"]{display:none !important}'
)
