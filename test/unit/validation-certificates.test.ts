/** Validation of certificateType and what each type needs; PEMs are real pairs made with openssl. */
import * as assert from "assert";
import { onpremConfig } from "../support/fixtures";
import { pemPair } from "../support/pem";
import { problemsOf, validate } from "../support/validation";

const owncert = (overrides: Record<string, unknown> = {}) => {
    const domain = pemPair("openvidu.example.com");
    return onpremConfig({ certificateType: "owncert", ownCertPrivateKey: domain.key, ownCertPublicKey: domain.cert, ...overrides });
};

describe("validation: certificates", () => {
    it("rejects an unknown certificate type and requires one", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ certificateType: "acme" })), [
            "certificateType: must be one of selfsigned, letsencrypt, owncert, zerossl, got 'acme'",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ certificateType: undefined })), [
            "certificateType: is required (selfsigned, letsencrypt, owncert or zerossl)",
        ]);
    });

    it("3.0 (the seed's commands): requires letsencryptEmail with letsencrypt, and a valid one", () => {
        const v30 = (o: Record<string, unknown>) => onpremConfig({ openviduVersion: "3.0.0", ...o });
        assert.deepStrictEqual(problemsOf(v30({ certificateType: "letsencrypt" })), ["letsencryptEmail: is required when certificateType is letsencrypt"]);
        assert.deepStrictEqual(problemsOf(v30({ certificateType: "letsencrypt", letsencryptEmail: "ops@example.com" })), []);
        assert.deepStrictEqual(problemsOf(v30({ certificateType: "letsencrypt", letsencryptEmail: "ops" })), ["letsencryptEmail: must be an email address"]);
        assert.deepStrictEqual(problemsOf(v30({ letsencryptEmail: "ops@example.com" })), [
            "letsencryptEmail: is only used when certificateType is letsencrypt",
        ]);
    });

    it("3.8 (the vendor's current command has no email): letsencrypt needs none, and a given letsencryptEmail is refused", () => {
        const refused = "letsencryptEmail: is not used by the 3.8.x line: the vendor's 3.8 Let's Encrypt command takes no email; remove it";
        assert.deepStrictEqual(problemsOf(onpremConfig({ certificateType: "letsencrypt" })), []);
        assert.deepStrictEqual(problemsOf(onpremConfig({ certificateType: "letsencrypt", letsencryptEmail: "ops@example.com" })), [refused]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ letsencryptEmail: "ops@example.com" })), [refused]);
    });

    it("rejects certificate keys the chosen type does not use", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ zerosslApiKey: "zerossl-key" })), ["zerosslApiKey: is only used when certificateType is zerossl"]);
    });

    it("requires zerosslApiKey with zerossl", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ certificateType: "zerossl" })), ["zerosslApiKey: is required when certificateType is zerossl"]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ certificateType: "zerossl", zerosslApiKey: "zerossl-key" })), []);
    });

    it("accepts owncert with a matching key and certificate", () => {
        assert.deepStrictEqual(problemsOf(owncert()), []);
        assert.deepStrictEqual(validate(owncert()).settings.target, "onprem");
    });

    it("requires both owncert PEMs", () => {
        assert.deepStrictEqual(problemsOf(owncert({ ownCertPrivateKey: undefined, ownCertPublicKey: undefined })), [
            "ownCertPrivateKey: is required when certificateType is owncert",
            "ownCertPublicKey: is required when certificateType is owncert",
        ]);
        assert.deepStrictEqual(problemsOf(owncert({ ownCertPublicKey: undefined })), ["ownCertPublicKey: is required when certificateType is owncert"]);
        assert.deepStrictEqual(problemsOf(owncert({ ownCertPrivateKey: undefined })), ["ownCertPrivateKey: is required when certificateType is owncert"]);
    });

    it("rejects PEMs that do not parse", () => {
        const domain = pemPair("openvidu.example.com");
        assert.deepStrictEqual(problemsOf(owncert({ ownCertPrivateKey: domain.cert })), ["ownCertPrivateKey: is not a PEM private key"]);
        assert.deepStrictEqual(problemsOf(owncert({ ownCertPublicKey: domain.key })), ["ownCertPublicKey: is not a PEM certificate"]);
        const truncated = domain.cert.slice(0, domain.cert.length / 2);
        assert.deepStrictEqual(problemsOf(owncert({ ownCertPublicKey: truncated })), ["ownCertPublicKey: is not a PEM certificate"]);
    });

    it("rejects a certificate that does not match its key", () => {
        const other = pemPair("other.example.com");
        assert.deepStrictEqual(problemsOf(owncert({ ownCertPublicKey: other.cert })), ["ownCertPublicKey: does not match ownCertPrivateKey"]);
    });

    it("checks the TURN pair the same way, and only with turnDomain", () => {
        const turn = pemPair("turn.example.com");
        const other = pemPair("other.example.com");
        const withTurn = { turnDomain: "turn.example.com", turnOwnCertPrivateKey: turn.key, turnOwnCertPublicKey: turn.cert };
        assert.deepStrictEqual(problemsOf(owncert(withTurn)), []);
        assert.deepStrictEqual(problemsOf(owncert({ ...withTurn, turnOwnCertPublicKey: other.cert })), [
            "turnOwnCertPublicKey: does not match turnOwnCertPrivateKey",
        ]);
        assert.deepStrictEqual(problemsOf(owncert({ ...withTurn, turnOwnCertPublicKey: undefined })), [
            "turnOwnCertPublicKey: turnOwnCertPrivateKey and turnOwnCertPublicKey must be set together",
        ]);
        assert.deepStrictEqual(problemsOf(owncert({ ...withTurn, turnDomain: undefined })), ["turnOwnCertPrivateKey: is only used with turnDomain"]);
        assert.deepStrictEqual(problemsOf(onpremConfig(withTurn)), [
            "turnOwnCertPrivateKey: is only used when certificateType is owncert",
            "turnOwnCertPublicKey: is only used when certificateType is owncert",
        ]);
    });
});
