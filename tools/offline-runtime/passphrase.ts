/**
 * The CLI's passphrase secrets provider, for reading `secure:` values of a stack file offline. Follows
 * pulumi/pulumi @ 1b59498:
 * - pkg/secrets/passphrase/manager.go: `readPassphrase` (PULUMI_CONFIG_PASSPHRASE, else the trimmed contents of
 *   PULUMI_CONFIG_PASSPHRASE_FILE) and `symmetricCrypterFromPhraseAndState` (`encryptionsalt` is
 *   `v1:<base64 salt>:<ciphertext of "pulumi">`; anything else decrypting means "incorrect passphrase");
 * - sdk/go/common/resource/config/crypt.go: `NewSymmetricCrypterFromPassphrase` (PBKDF2-HMAC-SHA256, 1,000,000
 *   iterations, 32-byte key) and `symmetricCrypter.DecryptValue` (`v1:<base64 12-byte nonce>:<base64 AES-256-GCM
 *   ciphertext with its 16-byte tag appended>`).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

export const PBKDF2_ITERATIONS = 1_000_000;
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** The passphrase did not decrypt the stack's `encryptionsalt` (manager.go: `ErrIncorrectPassphrase`). */
export class IncorrectPassphraseError extends Error {
    constructor(source: string) {
        super(`incorrect passphrase: the passphrase from ${source} does not unlock this stack's secrets (encryptionsalt)`);
        this.name = "IncorrectPassphraseError";
    }
}

/** Where the passphrase came from, for messages: never the passphrase itself. */
export interface Passphrase {
    phrase: string;
    source: "PULUMI_CONFIG_PASSPHRASE" | "PULUMI_CONFIG_PASSPHRASE_FILE";
}

/** manager.go `readPassphrase`: the variable wins even when empty; the file is read and trimmed. */
export function passphraseFromEnv(env: NodeJS.ProcessEnv = process.env): Passphrase | undefined {
    if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) {
        return { phrase: env.PULUMI_CONFIG_PASSPHRASE, source: "PULUMI_CONFIG_PASSPHRASE" };
    }
    const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
    if (file) {
        let text: string;
        try {
            text = fs.readFileSync(path.resolve(file), "utf8");
        } catch (err) {
            throw new Error(`unable to read PULUMI_CONFIG_PASSPHRASE_FILE: ${(err as Error).message}`, { cause: err });
        }
        return { phrase: text.trim(), source: "PULUMI_CONFIG_PASSPHRASE_FILE" };
    }
    return undefined;
}

const keyCache = new Map<string, Buffer>();

/** crypt.go `NewSymmetricCrypterFromPassphrase`: about 0.5 s, so keys are kept per passphrase and salt. */
export function deriveKey(phrase: string, salt: Buffer): Buffer {
    const id = crypto.createHash("sha256").update(phrase).update("\0").update(salt).digest("hex");
    let key = keyCache.get(id);
    if (!key) {
        key = crypto.pbkdf2Sync(phrase, salt, PBKDF2_ITERATIONS, KEY_BYTES, "sha256");
        keyCache.set(id, key);
    }
    return key;
}

/** crypt.go `symmetricCrypter.DecryptValue`. Throws on a malformed value or one encrypted with another key. */
export function decryptValue(key: Buffer, value: string): string {
    const parts = value.split(":");
    if (parts.length !== 3) throw new Error("bad value");
    if (parts[0] !== "v1") throw new Error("unknown value version");
    const nonce = Buffer.from(parts[1], "base64");
    const sealed = Buffer.from(parts[2], "base64");
    if (nonce.length !== NONCE_BYTES) throw new Error("bad value: nonce size is incorrect");
    if (sealed.length < TAG_BYTES) throw new Error("cipher: message authentication failed");
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, nonce);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
        return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
        throw new Error("cipher: message authentication failed");
    }
}

/** The salt of an `encryptionsalt` state (manager.go `symmetricCrypterFromPhraseAndState`). */
export function saltOf(encryptionSalt: string): Buffer {
    const parts = encryptionSalt.split(":");
    if (parts.length < 3) throw new Error("malformed state value");
    if (parts[0] !== "v1") throw new Error("unknown state version");
    return Buffer.from(parts[1], "base64");
}

/**
 * manager.go `symmetricCrypterFromPhraseAndState`: the key for a stack, checked by decrypting the state's
 * ciphertext to "pulumi".
 */
export function keyForStack(passphrase: Passphrase, encryptionSalt: string): Buffer {
    const key = deriveKey(passphrase.phrase, saltOf(encryptionSalt));
    const check = encryptionSalt.slice(encryptionSalt.indexOf(":", encryptionSalt.indexOf(":") + 1) + 1);
    let decrypted: string | undefined;
    try {
        decrypted = decryptValue(key, check);
    } catch {
        decrypted = undefined;
    }
    if (decrypted !== "pulumi") throw new IncorrectPassphraseError(passphrase.source);
    return key;
}
