#!/usr/bin/python3
"""baseline_mine_per_issue.py — the way common GitHub miners collect a repository's comments:
list the issues 100 a page, then ask each issue for its comments (PyGithub's
issue.get_comments(), and most research scripts built on it), writing to SQLite.

    baseline_mine_per_issue.py API_URL OWNER/NAME DB [--skip-uncommented] [--timelines]

--skip-uncommented asks only issues whose "comments" count is above zero (the thriftier
variant). --timelines also asks each issue for its timeline (issue.get_timeline(): closings,
labels, duplicates, cross-references), as miners that want events do. Prints the requests it sent. A rerun does the same work again: it keeps no ETags
and no cursor.
"""
import json
import sqlite3
import sys
import urllib.request


def get(url, counter):
    counter[0] += 1
    request = urllib.request.Request(url, headers={"Accept": "application/vnd.github+json"})
    with urllib.request.urlopen(request) as response:
        link = response.headers.get("Link", "")
        body = json.loads(response.read())
    nxt = ""
    for part in link.split(","):
        if 'rel="next"' in part:
            nxt = part[part.index("<") + 1:part.index(">")]
    return body, nxt


def main():
    api, repo, db_path = sys.argv[1], sys.argv[2], sys.argv[3]
    skip = "--skip-uncommented" in sys.argv
    timelines = "--timelines" in sys.argv
    counter = [0]
    db = sqlite3.connect(db_path)
    db.execute("CREATE TABLE IF NOT EXISTS issues (number INTEGER PRIMARY KEY, title TEXT, body TEXT, "
               "updated_at TEXT, raw TEXT)")
    db.execute("CREATE TABLE IF NOT EXISTS comments (id INTEGER PRIMARY KEY, number INTEGER, body TEXT, "
               "updated_at TEXT)")
    db.execute("CREATE TABLE IF NOT EXISTS events (number INTEGER, position INTEGER, event TEXT, raw TEXT, "
               "PRIMARY KEY (number, position))")
    url = f"{api}/repos/{repo}/issues?state=all&per_page=100"
    issues = []
    while url:
        page, url = get(url, counter)
        issues.extend(page)
        db.executemany("INSERT OR REPLACE INTO issues VALUES (?, ?, ?, ?, ?)",
                       [(i["number"], i["title"], i["body"], i["updated_at"], json.dumps(i)) for i in page])
    for issue in issues:
        if timelines:
            url = f"{api}/repos/{repo}/issues/{issue['number']}/timeline?per_page=100"
            position = 0
            while url:
                page, url = get(url, counter)
                rows = []
                for e in page:
                    position += 1
                    rows.append((issue["number"], position, e.get("event"), json.dumps(e)))
                db.executemany("INSERT OR REPLACE INTO events VALUES (?, ?, ?, ?)", rows)
        if skip and issue.get("comments", 0) == 0:
            continue
        url = f"{api}/repos/{repo}/issues/{issue['number']}/comments?per_page=100"
        while url:
            page, url = get(url, counter)
            db.executemany("INSERT OR REPLACE INTO comments VALUES (?, ?, ?, ?)",
                           [(c["id"], issue["number"], c["body"], c["updated_at"]) for c in page])
    db.commit()
    print(counter[0])


if __name__ == "__main__":
    main()
