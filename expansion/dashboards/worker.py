"""Render a share of a templated page's pages in a process of its own.

``python -m expansion.dashboards.worker <scratch>`` reads the request that
``site.start_share`` left in ``<scratch>`` (the site job, the page file, the
pages), opens its own read-only session on the serving file, drafts the same
site (the ``pages_query`` orders its pages, so every process numbers them the
same), writes those pages and leaves its report beside the request.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from expansion.dashboards.site import (
    SHARE_REPORT,
    SHARE_REQUEST,
    draft_site,
    render_share,
    serving_session,
)


def main(scratch: Path) -> None:
    job, source, share = pickle.loads((scratch / SHARE_REQUEST).read_bytes())
    with serving_session(job.serving_db) as con:
        draft = draft_site(con, job)
        (page_file,) = [f for f in draft.files if f.source == source]
        report = render_share(con, job, draft, page_file, share)
    (scratch / SHARE_REPORT).write_bytes(pickle.dumps(report))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
