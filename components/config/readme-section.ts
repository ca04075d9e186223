/** README sections generated from the program's tables (config reference, change classes): the splice they share. */

/** `readme` with the text between the `begin` and `end` marker lines replaced by `body`; both markers must be there. */
export function readmeWithSection(readme: string, begin: string, end: string, body: string): string {
    const from = readme.indexOf(begin);
    const to = readme.indexOf(end);
    if (from < 0 || to < from) {
        throw new Error(`README.md must contain the markers ${begin} and ${end}`);
    }
    return `${readme.slice(0, from + begin.length)}\n${body}\n${readme.slice(to)}`;
}
