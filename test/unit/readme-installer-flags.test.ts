/**
 * README "Installer flags per line" names every flag the program can send on each line, and no other: a flag added
 * to a release line (or to the certificate flags) without its documented source fails here.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { MANAGED_FLAGS } from "../../components/core/installer-flags";
import { RELEASE_LINES } from "../../components/core/release-lines";

const README = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");

/** The flags a README table names; `--minio-access-key/-secret-key` stands for both keys. */
function flagsIn(text: string): Set<string> {
    const flags = new Set<string>();
    const tokens = [...text.matchAll(/`([^`]*)`/g)].flatMap(([, span]) => [...span.matchAll(/(?:^|\s)(--[a-z0-9-]+)(?:=[^\s/]*)?(?:\/-([a-z0-9-]+))?/g)]);
    for (const [, first, alt] of tokens) {
        flags.add(first);
        if (alt !== undefined) {
            const segments = first.slice(2).split("-");
            flags.add(`--${[...segments.slice(0, segments.length - alt.split("-").length), alt].join("-")}`);
        }
    }
    return flags;
}

/** Certificate flags besides --certificate-type, per line (installer-flags.ts certificateArgs). */
const CERTIFICATE_FLAGS: Record<string, string[]> = {
    "3.0": [
        "--letsencrypt-email",
        "--owncert-private-key",
        "--owncert-public-key",
        "--turn-owncert-private-key",
        "--turn-owncert-public-key",
        "--zerossl-api-key",
    ],
    "3.8": ["--owncert-private-key", "--owncert-public-key", "--turn-owncert-private-key", "--turn-owncert-public-key", "--zerossl-api-key"],
};

function section(title: string, next: string): string {
    const start = README.indexOf(title);
    const end = README.indexOf(next, start + title.length);
    assert.ok(start >= 0 && end > start, `README section ${title}`);
    return README.slice(start, end);
}

describe("README: installer flags per line", () => {
    const tables: Record<string, string> = {
        "3.0": section("3.0 line (the seed's commands", "3.8 line:"),
        "3.8": section("3.8 line:", "The 3.8 flags go in the template's order"),
    };

    for (const line of RELEASE_LINES) {
        it(`${line.id}: the table names exactly the flags the program can send on that line`, () => {
            const sent = new Set([...line.flags.master, ...line.flags.media].map((f) => f.flag).concat(CERTIFICATE_FLAGS[line.id]));
            const documented = flagsIn(tables[line.id]);
            // The 3.8 table names --letsencrypt-email only to say it is not sent.
            if (line.id === "3.8") {
                assert.match(tables[line.id], /\*\*No `--letsencrypt-email`\*\*/);
                documented.delete("--letsencrypt-email");
            }
            assert.deepStrictEqual([...documented].sort(), [...sent].sort());
        });
    }

    it("the per-line flag lists cover every flag the program manages", () => {
        const perLine = new Set(RELEASE_LINES.flatMap((l) => [...l.flags.master, ...l.flags.media].map((f) => f.flag).concat(CERTIFICATE_FLAGS[l.id])));
        assert.deepStrictEqual([...perLine].sort(), [...MANAGED_FLAGS].sort());
    });
});
