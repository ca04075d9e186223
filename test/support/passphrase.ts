/**
 * Encrypts test fixtures the way the CLI's passphrase provider does (crypt.go `symmetricCrypter.EncryptValue`,
 * manager.go `NewPassphraseSecretsManager`), so tests write stack files with real `encryptionsalt` and `secure:`
 * values and no ciphertext is copied from anywhere. The key derivation is the offline runtime's own; the
 * reference's test vector (test/unit/passphrase.test.ts) pins it to the CLI's.
 */
import * as crypto from "crypto";
import { deriveKey } from "../../tools/offline-runtime/passphrase";

/** `v1:<base64 12-byte nonce>:<base64 AES-256-GCM ciphertext + 16-byte tag>`, with a fresh random nonce. */
export function encryptValue(key: Buffer, plaintext: string): string {
    const nonce = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv("aes-256-gcm", key, nonce);
    const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
}

export interface PassphraseStack {
    /** The stack file's `encryptionsalt:` value: `v1:<base64 8-byte salt>:` + the ciphertext of "pulumi". */
    encryptionsalt: string;
    /** A `secure:` value for `plaintext` under this stack's key. */
    encrypt(plaintext: string): string;
}

/** A new passphrase stack's secrets state, as `pulumi stack init --secrets-provider passphrase` makes it. */
export function passphraseStack(passphrase: string): PassphraseStack {
    const salt = crypto.randomBytes(8);
    const key = deriveKey(passphrase, salt);
    return {
        encryptionsalt: `v1:${salt.toString("base64")}:${encryptValue(key, "pulumi")}`,
        encrypt: (plaintext) => encryptValue(key, plaintext),
    };
}
