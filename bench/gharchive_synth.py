#!/usr/bin/python3
"""Writes a synthetic GH Archive dump for bench/gharchive.sh: gzip files of one GitHub event
per line, the shape gharchive.org publishes, deterministic from a seed.

Usage: bench/gharchive_synth.py OUT_DIR [--size BYTES] [--files N] [--seed S]
                                 [--profile hour|bigquery] [--string-payloads FRACTION]

--profile hour (the default): the mix follows a real hour of GH Archive: mostly PushEvent, CreateEvent, WatchEvent,
PullRequestEvent and other noise from many repositories, plus IssuesEvent and
IssueCommentEvent for a few hundred repositories whose issues live through opened, labeled,
commented (comments sometimes edited or deleted), closed and reopened. Issue bodies are
0.5-8 KB of prose, tracebacks and logs, some in Chinese, some null; about one issue in five
is a pull request. --size is the uncompressed size (default 1 GB); files are gzip level 6,
like GH Archive's. Prints one summary line (events by type, issues) on stdout.

--profile bigquery: what a selection in GH Archive's BigQuery tables exports (README: the route
for months of events) — only IssuesEvent and IssueCommentEvent rows, columns in the order of
the README's query (type, repo, created_at, payload, actor, id), BigQuery's timestamp format.
Issues come in storms: a few dozen issues are live at a time, each drawing 3-10 comments
(some edited or deleted later) and 0-3 other events (labeled, closed, reopened, edited) before
it goes quiet, so most snapshots repeat an issue seen shortly before. Payloads carry the full
issue as the REST API gives it (user, labels, assignees, milestone, reactions) and, for
comments, the full comment; bodies are 0.2-8 KB with a long tail up to 64 KB (log-normal),
some Chinese, some null. In BigQuery `payload` is a string column holding JSON:
--string-payloads is the fraction of rows whose payload is such a string (bigquery default
1.0, hour default 0.0); the others carry it as an object.
"""
import argparse
import gzip
import json
import os
import random

OWNERS = ["QwenLM", "meta-llama", "deepseek-ai", "vllm-project", "huggingface", "ollama", "ggerganov",
          "mistralai", "THUDM", "01-ai", "google", "microsoft", "openai", "NVIDIA", "lm-sys", "hiyouga"]
WORDS = ("model load fails when running inference with the latest version on a single GPU after upgrading "
         "transformers tokenizer config weights checkpoint quantized memory batch context length server "
         "request timeout crash hang output garbage repeated tokens fine-tuning LoRA adapter merge dtype "
         "bf16 fp16 int4 driver CUDA kernel docker image python package install error expected behaviour").split()
CHINESE = ["模型加载失败，显存不足。", "使用最新版本推理时输出乱码。", "微调之后合并 LoRA 权重报错。",
           "请问如何在多卡上部署？", "升级 transformers 后无法加载 tokenizer。", "服务启动后请求一直超时。"]
LABELS = ["bug", "enhancement", "question", "documentation", "duplicate", "help wanted", "good first issue",
          "inference", "fine-tuning", "installation", "stale", "wontfix"]
ERRORS = ["torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate {n}.00 MiB",
          "RuntimeError: expected scalar type BFloat16 but found Float",
          "ValueError: Tokenizer class Qwen2Tokenizer does not exist or is not currently imported.",
          "KeyError: 'model.layers.{n}.self_attn.q_proj.weight'",
          "OSError: Unable to load weights from pytorch checkpoint file for '{p}'",
          "AssertionError: {n} is not divisible by tensor parallel size"]
NOISE = [("PushEvent", 40), ("CreateEvent", 13), ("WatchEvent", 8), ("PullRequestEvent", 6),
         ("DeleteEvent", 4), ("ForkEvent", 3), ("PullRequestReviewEvent", 3), ("PullRequestReviewCommentEvent", 3),
         ("ReleaseEvent", 1), ("GollumEvent", 1), ("MemberEvent", 1), ("PublicEvent", 1)]


class Synth:
    def __init__(self, seed, profile="hour", string_payloads=0.0):
        self.r = random.Random(seed)
        self.profile = profile
        self.string_payloads = string_payloads
        self.live = []  # bigquery: [repo, issue, comments left, other events left, comments]
        self.next_id = 30_000_000_000
        self.time = 1714521600  # 2024-05-01T00:00:00Z
        self.repos = [(f"{self.r.choice(OWNERS)}/{self.word()}-{i}", 700_000_000 + i) for i in range(300)]
        self.issues = []   # live issues: dicts
        self.comments = []  # (issue, comment) pairs that can be edited or deleted
        self.counts = {}
        self.noise_names, self.noise_weights = zip(*NOISE)

    def word(self):
        return self.r.choice(WORDS)

    def uid(self):
        self.next_id += self.r.randint(1, 50)
        return self.next_id

    def stamp(self):
        self.time += self.r.randint(0, 1)
        t = self.time
        days, rest = divmod(t - 1714521600, 86400)
        h, rest = divmod(rest, 3600)
        m, s = divmod(rest, 60)
        return f"2024-05-{1 + days % 28:02d}T{h:02d}:{m:02d}:{s:02d}Z"

    def sentence(self, n):
        return " ".join(self.word() for _ in range(n)).capitalize() + "."

    def traceback(self):
        r = self.r
        lines = ["Traceback (most recent call last):"]
        for _ in range(r.randint(3, 12)):
            lines.append(f'  File "/usr/lib/python3.{r.randint(8, 12)}/site-packages/{self.word()}/{self.word()}.py", '
                         f"line {r.randint(1, 3000)}, in {self.word()}_{self.word()}")
            lines.append(f"    {self.word()} = self.{self.word()}({self.word()}, {self.word()}=0x{r.getrandbits(48):x})")
        lines.append(r.choice(ERRORS).format(n=r.randint(2, 40000), p=f"{r.choice(OWNERS)}/{self.word()}"))
        return "\n".join(lines)

    def body(self):
        r = self.r
        if r.random() < 0.07:
            return None
        return self.paragraphs(int(r.triangular(500, 8000, 1500)), (0.25, 0.35, 0.45))

    def paragraphs(self, target, cuts):
        """Paragraphs up to `target` bytes: a fenced traceback, Chinese, a version list or
        sentences, by the cumulative shares in `cuts`."""
        r = self.r
        parts = []
        size = 0
        while size < target:
            kind = r.random()
            if kind < cuts[0]:
                part = "```\n" + self.traceback() + "\n```"
            elif kind < cuts[1]:
                part = "".join(r.choice(CHINESE) for _ in range(r.randint(1, 5)))
            elif kind < cuts[2]:
                part = "\n".join(f"- {self.word()}: {r.randint(0, 99)}.{r.randint(0, 9)}.{r.randint(0, 20)}"
                                 for _ in range(r.randint(2, 6)))
            else:
                part = " ".join(self.sentence(r.randint(6, 20)) for _ in range(r.randint(1, 4)))
            parts.append(part)
            size += len(part.encode())
        return "\n\n".join(parts)

    def user(self):
        login = f"{self.word()}{self.r.randint(1, 99999)}"
        uid = self.r.randint(1, 160_000_000)
        base = f"https://api.github.com/users/{login}"
        return {"login": login, "id": uid, "node_id": f"MDQ6VXNlcj{uid}", "avatar_url":
                f"https://avatars.githubusercontent.com/u/{uid}?v=4", "gravatar_id": "", "url": base,
                "html_url": f"https://github.com/{login}", "followers_url": base + "/followers",
                "following_url": base + "/following{/other_user}", "gists_url": base + "/gists{/gist_id}",
                "starred_url": base + "/starred{/owner}{/repo}", "subscriptions_url": base + "/subscriptions",
                "organizations_url": base + "/orgs", "repos_url": base + "/repos", "events_url": base + "/events{/privacy}",
                "received_events_url": base + "/received_events", "type": "User", "site_admin": False}

    def actor(self):
        u = self.user()
        return {"id": u["id"], "login": u["login"], "display_login": u["login"], "gravatar_id": "",
                "url": u["url"], "avatar_url": u["avatar_url"]}

    def event(self, type_, repo, payload):
        self.counts[type_] = self.counts.get(type_, 0) + 1
        name, rid = repo
        return {"id": str(self.uid()), "type": type_, "actor": self.actor(),
                "repo": {"id": rid, "name": name, "url": f"https://api.github.com/repos/{name}"},
                "payload": payload, "public": True, "created_at": self.stamp()}

    def label(self, name):
        return {"id": 1000 + LABELS.index(name), "node_id": "LA_kwDO" + name.replace(" ", ""),
                "url": "https://api.github.com/labels/" + name, "name": name, "color": "d73a4a", "default": False,
                "description": ""}

    def new_issue(self):
        repo = self.r.choice(self.repos)
        name = repo[0]
        number = self.counts.setdefault("#" + name, 0) + 1
        self.counts["#" + name] = number
        api = f"https://api.github.com/repos/{name}/issues/{number}"
        now = self.stamp()
        issue = {"url": api, "repository_url": f"https://api.github.com/repos/{name}", "labels_url": api + "/labels{/name}",
                 "comments_url": api + "/comments", "events_url": api + "/events",
                 "html_url": f"https://github.com/{name}/issues/{number}", "id": self.uid(),
                 "node_id": f"I_kwDOK{self.r.getrandbits(40):x}", "number": number,
                 "title": self.sentence(self.r.randint(4, 12)) if self.r.random() > 0.1 else self.r.choice(CHINESE),
                 "user": self.user(), "labels": [], "state": "open", "locked": False, "assignee": None,
                 "assignees": [], "milestone": None, "comments": 0, "created_at": now, "updated_at": now,
                 "closed_at": None, "author_association": self.r.choice(["NONE", "CONTRIBUTOR", "MEMBER"]),
                 "active_lock_reason": None, "body": self.body(),
                 "reactions": {"url": api + "/reactions", "total_count": 0, "+1": 0, "-1": 0, "laugh": 0,
                               "hooray": 0, "confused": 0, "heart": 0, "rocket": 0, "eyes": 0},
                 "timeline_url": api + "/timeline", "performed_via_github_app": None, "state_reason": None}
        if self.r.random() < 0.2:
            issue["pull_request"] = {"url": f"https://api.github.com/repos/{name}/pulls/{number}",
                                     "html_url": f"https://github.com/{name}/pull/{number}",
                                     "diff_url": f"https://github.com/{name}/pull/{number}.diff",
                                     "patch_url": f"https://github.com/{name}/pull/{number}.patch", "merged_at": None}
        self.issues.append((repo, issue))
        if len(self.issues) > 5000:
            self.issues.pop(self.r.randrange(len(self.issues)))
        return self.event("IssuesEvent", repo, {"action": "opened", "issue": issue})

    def issue_event(self):
        r = self.r
        if not self.issues or r.random() < 0.3:
            return self.new_issue()
        repo, issue = r.choice(self.issues)
        issue["updated_at"] = self.stamp()
        if r.random() < 0.75:
            comments = self.comments
            if comments and r.random() < 0.08:
                (repo, issue), comment = comments.pop(r.randrange(len(comments)))
                action = r.choice(["edited", "deleted"])
                if action == "edited":
                    comment["body"] = (comment["body"] or "") + "\n\nEDIT: " + self.sentence(8)
                    comment["updated_at"] = issue["updated_at"]
                    comments.append(((repo, issue), comment))
                else:
                    issue["comments"] = max(0, issue["comments"] - 1)
                return self.event("IssueCommentEvent", repo, {"action": action, "issue": issue, "comment": comment})
            name, number = repo[0], issue["number"]
            cid = self.uid()
            issue["comments"] += 1
            body = self.body() if r.random() < 0.3 else self.sentence(r.randint(5, 60))
            comment = {"url": f"https://api.github.com/repos/{name}/issues/comments/{cid}",
                       "html_url": f"https://github.com/{name}/issues/{number}#issuecomment-{cid}",
                       "issue_url": issue["url"], "id": cid, "node_id": f"IC_kwDO{cid:x}", "user": self.user(),
                       "created_at": issue["updated_at"], "updated_at": issue["updated_at"],
                       "author_association": r.choice(["NONE", "CONTRIBUTOR", "MEMBER"]), "body": body,
                       "reactions": issue["reactions"], "performed_via_github_app": None}
            comments.append(((repo, issue), comment))
            if len(comments) > 20000:
                comments.pop(r.randrange(len(comments)))
            return self.event("IssueCommentEvent", repo, {"action": "created", "issue": issue, "comment": comment})
        action = r.choice(["closed", "reopened", "labeled", "edited"])
        if action == "closed":
            issue["state"], issue["closed_at"], issue["state_reason"] = "closed", issue["updated_at"], "completed"
        elif action == "reopened":
            issue["state"], issue["closed_at"], issue["state_reason"] = "open", None, "reopened"
        elif action == "labeled":
            issue["labels"].append(self.label(r.choice(LABELS)))
        else:
            issue["title"] = self.sentence(r.randint(4, 12))
        payload = {"action": action, "issue": issue}
        if action == "labeled":
            payload["label"] = issue["labels"][-1]
        return self.event("IssuesEvent", repo, payload)

    # --- --profile bigquery

    def long_body(self, comment=False):
        r = self.r
        if r.random() < (0.05 if comment else 0.07):
            return None
        target = int(min(64000, max(200, r.lognormvariate(6.6 if comment else 7.2, 0.9))))
        return self.paragraphs(target, (0.2, 0.3, 0.4))

    def bq_event(self, type_, repo, payload):
        self.counts[type_] = self.counts.get(type_, 0) + 1
        name, rid = repo
        self.stamp()
        t = self.time
        days, rest = divmod(t - 1714521600, 86400)
        h, rest = divmod(rest, 3600)
        m, s = divmod(rest, 60)
        if self.r.random() < self.string_payloads:
            payload = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        return {"type": type_, "repo": {"id": rid, "name": name, "url": f"https://api.github.com/repos/{name}"},
                "created_at": f"2024-05-{1 + days % 28:02d} {h:02d}:{m:02d}:{s:02d} UTC", "payload": payload,
                "actor": self.actor(), "id": str(self.uid())}

    def bq_new_issue(self):
        r = self.r
        repo = r.choice(self.repos)
        name = repo[0]
        number = self.counts.setdefault("#" + name, 0) + 1
        self.counts["#" + name] = number
        api = f"https://api.github.com/repos/{name}/issues/{number}"
        now = self.stamp()
        issue = {"url": api, "repository_url": f"https://api.github.com/repos/{name}", "labels_url": api + "/labels{/name}",
                 "comments_url": api + "/comments", "events_url": api + "/events",
                 "html_url": f"https://github.com/{name}/issues/{number}", "id": self.uid(),
                 "node_id": f"I_kwDOK{r.getrandbits(40):x}", "number": number,
                 "title": self.sentence(r.randint(4, 12)) if r.random() > 0.1 else r.choice(CHINESE),
                 "user": self.user(), "labels": [self.label(l) for l in r.sample(LABELS, r.choice([0, 0, 1, 1, 2, 3]))],
                 "state": "open", "locked": False, "assignee": None, "assignees": [], "milestone": None,
                 "comments": 0, "created_at": now, "updated_at": now, "closed_at": None,
                 "author_association": r.choice(["NONE", "CONTRIBUTOR", "MEMBER"]), "active_lock_reason": None,
                 "sub_issues_summary": {"total": 0, "completed": 0, "percent_completed": 0}, "body": self.long_body(),
                 "reactions": {"url": api + "/reactions", "total_count": 0, "+1": 0, "-1": 0, "laugh": 0,
                               "hooray": 0, "confused": 0, "heart": 0, "rocket": 0, "eyes": 0},
                 "timeline_url": api + "/timeline", "performed_via_github_app": None, "state_reason": None}
        if r.random() < 0.2:
            assignee = self.user()
            issue["assignee"], issue["assignees"] = assignee, [assignee]
        if r.random() < 0.1:
            issue["milestone"] = {"url": f"https://api.github.com/repos/{name}/milestones/1", "id": self.uid(),
                                  "number": 1, "title": "v" + str(r.randint(1, 4)), "description": self.sentence(6),
                                  "creator": self.user(), "open_issues": r.randint(0, 50), "closed_issues": r.randint(0, 50),
                                  "state": "open", "created_at": now, "updated_at": now, "due_on": None, "closed_at": None}
        if r.random() < 0.2:
            issue["pull_request"] = {"url": f"https://api.github.com/repos/{name}/pulls/{number}",
                                     "html_url": f"https://github.com/{name}/pull/{number}",
                                     "diff_url": f"https://github.com/{name}/pull/{number}.diff",
                                     "patch_url": f"https://github.com/{name}/pull/{number}.patch", "merged_at": None}
        # A storm: the comments and other events this issue will draw before it goes quiet.
        self.live.append([repo, issue, r.randint(3, 10), r.randint(0, 3), []])
        return self.bq_event("IssuesEvent", repo, {"action": "opened", "issue": issue})

    def bq_issue_event(self):
        r = self.r
        if len(self.live) < 30 or r.random() < 0.05:
            return self.bq_new_issue()
        at = r.randrange(len(self.live))
        entry = self.live[at]
        repo, issue, comments_left, others_left, comments = entry
        issue["updated_at"] = self.stamp()
        if comments_left + others_left <= 1:
            self.live[at] = self.live[-1]
            self.live.pop()
        if comments and r.random() < 0.1:  # an earlier comment edited or deleted
            comment = comments[r.randrange(len(comments))]
            action = "edited" if r.random() < 0.6 else "deleted"
            if action == "edited":
                comment["body"] = (comment["body"] or "") + "\n\nEDIT: " + self.sentence(8)
                comment["updated_at"] = issue["updated_at"]
            else:
                comments.remove(comment)
                issue["comments"] = max(0, issue["comments"] - 1)
            return self.bq_event("IssueCommentEvent", repo, {"action": action, "issue": issue, "comment": comment})
        if comments_left > 0 and (others_left == 0 or r.random() < 0.75):
            entry[2] -= 1
            name, number = repo[0], issue["number"]
            cid = self.uid()
            issue["comments"] += 1
            comment = {"url": f"https://api.github.com/repos/{name}/issues/comments/{cid}",
                       "html_url": f"https://github.com/{name}/issues/{number}#issuecomment-{cid}",
                       "issue_url": issue["url"], "id": cid, "node_id": f"IC_kwDO{cid:x}", "user": self.user(),
                       "created_at": issue["updated_at"], "updated_at": issue["updated_at"],
                       "author_association": r.choice(["NONE", "CONTRIBUTOR", "MEMBER", "OWNER"]),
                       "body": self.long_body(comment=True),
                       "reactions": {"url": f"https://api.github.com/repos/{name}/issues/comments/{cid}/reactions",
                                     "total_count": 0, "+1": 0, "-1": 0, "laugh": 0, "hooray": 0, "confused": 0,
                                     "heart": 0, "rocket": 0, "eyes": 0},
                       "performed_via_github_app": None}
            comments.append(comment)
            return self.bq_event("IssueCommentEvent", repo, {"action": "created", "issue": issue, "comment": comment})
        entry[3] -= 1
        action = r.choice(["closed", "reopened", "labeled", "edited"])
        if action == "closed":
            issue["state"], issue["closed_at"], issue["state_reason"] = "closed", issue["updated_at"], "completed"
        elif action == "reopened":
            issue["state"], issue["closed_at"], issue["state_reason"] = "open", None, "reopened"
        elif action == "labeled":
            issue["labels"].append(self.label(r.choice(LABELS)))
        else:
            issue["title"] = self.sentence(r.randint(4, 12))
        payload = {"action": action, "issue": issue}
        if action == "labeled":
            payload["label"] = issue["labels"][-1]
        return self.bq_event("IssuesEvent", repo, payload)

    def noise_event(self):
        r = self.r
        type_ = r.choices(self.noise_names, self.noise_weights)[0]
        repo = (f"{self.word()}{r.randint(1, 999999)}/{self.word()}", r.randint(1, 800_000_000))
        if type_ == "PushEvent":
            commits = [{"sha": f"{r.getrandbits(160):040x}", "author": {"email": f"{self.word()}@example.com",
                        "name": self.word()}, "message": self.sentence(r.randint(3, 30)), "distinct": True,
                        "url": f"https://api.github.com/repos/{repo[0]}/commits/{r.getrandbits(160):040x}"}
                       for _ in range(r.choice([1, 1, 1, 2, 3, 5]))]
            payload = {"repository_id": repo[1], "push_id": self.uid(), "size": len(commits), "distinct_size": len(commits),
                       "ref": "refs/heads/main", "head": f"{r.getrandbits(160):040x}",
                       "before": f"{r.getrandbits(160):040x}", "commits": commits}
        elif type_ in ("PullRequestEvent", "PullRequestReviewEvent", "PullRequestReviewCommentEvent"):
            payload = {"action": "opened", "number": r.randint(1, 5000),
                       "pull_request": {"url": f"https://api.github.com/repos/{repo[0]}/pulls/1", "id": self.uid(),
                                        "title": self.sentence(r.randint(3, 10)), "user": self.user(),
                                        "body": self.sentence(r.randint(10, 200)),
                                        "head": {"label": "x:main", "ref": "main", "sha": f"{r.getrandbits(160):040x}",
                                                 "user": self.user()},
                                        "base": {"label": "y:main", "ref": "main", "sha": f"{r.getrandbits(160):040x}",
                                                 "user": self.user()}}}
        elif type_ == "CreateEvent":
            payload = {"ref": self.word(), "ref_type": "branch", "master_branch": "main",
                       "description": self.sentence(8), "pusher_type": "user"}
        else:
            payload = {"action": "started"}
        return self.event(type_, repo, payload)

    def line(self):
        if self.profile == "bigquery":
            e = self.bq_issue_event()
        elif self.string_payloads and self.r.random() < 0.17:
            e = self.issue_event()
            if self.r.random() < self.string_payloads:
                e["payload"] = json.dumps(e["payload"], ensure_ascii=False, separators=(",", ":"))
        else:
            # About one event in six is an issue event, as in a real hour of GH Archive.
            e = self.issue_event() if self.r.random() < 0.17 else self.noise_event()
        return (json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--size", type=int, default=1_000_000_000)
    ap.add_argument("--files", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--profile", choices=["hour", "bigquery"], default="hour")
    ap.add_argument("--string-payloads", type=float, default=None)
    a = ap.parse_args()
    if a.string_payloads is None:
        a.string_payloads = 1.0 if a.profile == "bigquery" else 0.0
    os.makedirs(a.out, exist_ok=True)
    synth = Synth(a.seed, a.profile, a.string_payloads)
    per_file = a.size // a.files
    for f in range(a.files):
        path = os.path.join(a.out, f"2024-05-01-{f}.json.gz")
        written = 0
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as out:
            batch = []
            while written < per_file:
                line = synth.line()
                written += len(line)
                batch.append(line)
                if len(batch) == 1000:
                    out.write(b"".join(batch))
                    batch = []
            out.write(b"".join(batch))
    counts = {k: v for k, v in synth.counts.items() if not k.startswith("#")}
    issues = sum(v for k, v in synth.counts.items() if k.startswith("#"))
    print(json.dumps({"events": sum(counts.values()), "issues": issues, "by_type": counts,
                      "repositories": [name for name, _ in synth.repos]}))


if __name__ == "__main__":
    main()
