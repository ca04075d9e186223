import * as assert from "assert";
import * as fs from "fs";
import { CONFIG_KEYS } from "../../components/config/keys";
import { README_PATH, readmeWithConfigReference } from "../../tools/config-reference";

describe("README config reference", () => {
    const readme = fs.readFileSync(README_PATH, "utf8");

    it("is the table rendered from the config key table (run npm run sync:config after changing keys)", () => {
        assert.strictEqual(readme, readmeWithConfigReference(readme));
    });

    it("documents every config key", () => {
        const missing = Object.keys(CONFIG_KEYS).filter((k) => !readme.includes(`| \`${k}\` |`));
        assert.deepStrictEqual(missing, []);
    });
});
