/**
 * The HostKeyPin provider called directly (not serialized), against in-process SSH servers on loopback with fixed
 * test-only host keys: expected key lines and fingerprints are literals from `ssh-keygen -lf` on those keys. No
 * process is started; nothing is computed at load time (see MUTATION.md).
 */
import * as assert from "assert";
import * as net from "net";
import { Server } from "ssh2";
import { hostKeyFingerprint, hostKeyPinProvider, HostKeyPinArgs, HostKeyPinState, scanHostKey } from "../../components/onprem/host-key-pin";
import { pinArgs } from "../support/host-key-pin-args";

/** Test-only keys made with ssh-keygen for this file; their public lines and `ssh-keygen -lf` fingerprints below. */
const ED25519_PRIVATE = [
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
    "QyNTUxOQAAACCWZOezWKZ4kZZlodhCgICiDIxx2MnTcUKsJhHiemX2vwAAAIiDL2Nrgy9j",
    "awAAAAtzc2gtZWQyNTUxOQAAACCWZOezWKZ4kZZlodhCgICiDIxx2MnTcUKsJhHiemX2vw",
    "AAAEAhppi1kHZtd29v/Ssek7Drokary6zqGdBzy8W1soVR2JZk57NYpniRlmWh2EKAgKIM",
    "jHHYydNxQqwmEeJ6Zfa/AAAAAXgBAgME",
    "-----END OPENSSH PRIVATE KEY-----",
].join("\n");
const ED25519_PUBLIC = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJZk57NYpniRlmWh2EKAgKIMjHHYydNxQqwmEeJ6Zfa/";
const ED25519_FINGERPRINT = "SHA256:VavAXmQQqR8R9JpHrjZAfilNqE5fw3/XJJ1mYDGN0NY";
const ECDSA_PRIVATE = [
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAaAAAABNlY2RzYS",
    "1zaGEyLW5pc3RwMjU2AAAACG5pc3RwMjU2AAAAQQR1Cma4dNVYXCMx+2XlkxymyfKz5oDV",
    "PvyBV7J8XoUP+622kc6lL5bJhc1wTqWb2Fw7/XHICrmUrNiZIGGhJ6PgAAAAoIog82iKIP",
    "NoAAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBHUKZrh01VhcIzH7",
    "ZeWTHKbJ8rPmgNU+/IFXsnxehQ/7rbaRzqUvlsmFzXBOpZvYXDv9ccgKuZSs2JkgYaEno+",
    "AAAAAhAN1HFHMO4tC7ctABwoge++o52VBbaKp4HhAk7JsH/Td3AAAAAXkBAgMEBQY=",
    "-----END OPENSSH PRIVATE KEY-----",
].join("\n");
const ECDSA_PUBLIC =
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBHUKZrh01VhcIzH7ZeWTHKbJ8rPmgNU+/IFXsnxehQ/7rbaRzqUvlsmFzXBOpZvYXDv9ccgKuZSs2JkgYaEno+A=";
const ECDSA_FINGERPRINT = "SHA256:yOprdGGFVylzrsV86fubvaTPXG2UGkw+w30Mkobdfcc";

/** A second Ed25519 key (same type, other blob) and an RSA key, both test-only, made with ssh-keygen. */
const OTHER_ED25519_PRIVATE = [
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
    "QyNTUxOQAAACBeEYvD2lYsAX/2Rf0hiDpIWLY/nO0Q2sB4IX0ILqLwEQAAAIi/JXkCvyV5",
    "AgAAAAtzc2gtZWQyNTUxOQAAACBeEYvD2lYsAX/2Rf0hiDpIWLY/nO0Q2sB4IX0ILqLwEQ",
    "AAAECVAxSFP23Jau9X3trLdSwkEo+dF76QbC1FeSJIXYk0hl4Ri8PaViwBf/ZF/SGIOkhY",
    "tj+c7RDawHghfQguovARAAAAAXoBAgME",
    "-----END OPENSSH PRIVATE KEY-----",
].join("\n");
const OTHER_ED25519_FINGERPRINT = "SHA256:XBOznxNgOu1N1rMkn+izVrmoABJ1TZI7YmAGVF3Enj0";
const RSA_PRIVATE = [
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAABFwAAAAdzc2gtcn",
    "NhAAAAAwEAAQAAAQEA4z7yMe79czt2DMAAUo+jKjzb81YYgBoXm4k7FDsCNtyDdT9DaCXU",
    "Z7cctL8yIB5Jpqvoa4Yazek8zDtkh640txWkBfeNgZjwZOt1j8+yCts9WhGmQIgf6ULOzZ",
    "l9+R/fM1p8NbAYmWI2p0HvqwoGoUQl8Eq6hkybk1u054t4qRA6K7tZHNpDxT3bcb8UKXVz",
    "WrxyhpbnaXpEAilj8pbsp+qHHbHhZrrzAqprOK4YzTzJyYmz06BVs0WUB3YL06QhGUjwBU",
    "Z7cWuQWEai3JKplkMKivngF+R0AmfL3YB1Q/b4o+taM6zsfF+m7Yl0e9Gsaqib7/1G8lbH",
    "7xzcr1vZMwAAA7iTY9L3k2PS9wAAAAdzc2gtcnNhAAABAQDjPvIx7v1zO3YMwABSj6MqPN",
    "vzVhiAGhebiTsUOwI23IN1P0NoJdRntxy0vzIgHkmmq+hrhhrN6TzMO2SHrjS3FaQF942B",
    "mPBk63WPz7IK2z1aEaZAiB/pQs7NmX35H98zWnw1sBiZYjanQe+rCgahRCXwSrqGTJuTW7",
    "Tni3ipEDoru1kc2kPFPdtxvxQpdXNavHKGludpekQCKWPyluyn6ocdseFmuvMCqms4rhjN",
    "PMnJibPToFWzRZQHdgvTpCEZSPAFRntxa5BYRqLckqmWQwqK+eAX5HQCZ8vdgHVD9vij61",
    "ozrOx8X6btiXR70axqqJvv/UbyVsfvHNyvW9kzAAAAAwEAAQAAAQAJzzTLPQLJz55H7J3W",
    "8oZbk2b3ORczqGyudR0MwYNV9OzjychSHZfupjPiBYLXahdJz4/n3FEZ5GCQfFvZk4aJBL",
    "Eg5M/B8WUnJhbcD14jI9WhJrPjgzzFZ/HfZCnQ8DRFVjmYY7KcJGYxkCIVYwhoO7Xbio5E",
    "r9fjY4kKmbWqrojRQ6HVm38fNpXIt8TNinH0ink+/6qwLjhpCQkYDPNItxEESMKJFmkXCd",
    "bZsrsTE1gkrrN4ok2Ja+kfF1RxVGEy65J1b3xURbE6CRRDfqwp9VKWSDSqdhXK6ezSbAb+",
    "Cf8wBKC+s/E+DunzxU99X5iStqAu47czo5kLPpUW/5xxAAAAgQDhUheYEB96C4rcFEYzPy",
    "ylMlMJknNjz6CuZPc0wn+wcuaRqqI9CwhraIEeYTyP6i8MRjs7Zp7sINn0M/ng/HGDTxCc",
    "CMntd4eIVLuuwX2C/WRouXTTt7WBvqxB5ESTLXBxi2vuua3bax1Byu6fZv2F4vfQdENR0l",
    "f/XKialVwInQAAAIEA84z/tLgysFqan6tN4XGiovrkJSIlPQJcQL/WlRmx5leirkNzmX4V",
    "RxFfumaJHWwuY2qAt7bNwyBSggqkWdZLGxSKl8KBMsnwXXhqBNvRzyRxSySpBJyzKaRsBp",
    "BJ/65Ho3FUBt3GfP59fTk5EVLUc+WCbeIJRGKwpOieiqlfgzkAAACBAO7clp9N0iGazjeV",
    "zF3DkJ6yJzrjrsaPNpKqKsyTwVc+Pbx/Oq10MI9OgRYINKhTWqoOa+DA/okwF6uNHKoOpc",
    "2GWQz4qcu1JLv+VGaR/2noI1JNijvLTMbiIFpmYgnk3aTUIoXMvlpRE3rQKVysX/Og0k3F",
    "NRClS2cW0NF5HiPLAAAAAXIB",
    "-----END OPENSSH PRIVATE KEY-----",
].join("\n");

interface TestServer {
    port: number;
    close(): Promise<void>;
}

/** An SSH server on 127.0.0.1 with the given host keys; it never authenticates anyone. */
async function sshServer(hostKeys: string[], port = 0, serverHostKey?: string[]): Promise<TestServer> {
    const server = new Server({ hostKeys, ...(serverHostKey ? { algorithms: { serverHostKey: serverHostKey as never } } : {}) }, (client) => {
        client.on("authentication", (ctx) => ctx.reject());
        client.on("error", () => undefined);
    });
    const sockets = new Set<net.Socket>();
    (server as unknown as { _srv: net.Server })._srv.on("connection", (s: net.Socket) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    return {
        port: (server.address() as net.AddressInfo).port,
        close: () =>
            new Promise((resolve) => {
                sockets.forEach((s) => s.destroy());
                server.close(() => resolve());
            }),
    };
}

/** A port on loopback where nothing listens (bound, then closed). */
async function closedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
}

describe("host key pin (provider called directly, in-process SSH servers)", function () {
    this.timeout(30_000);

    it("hostKeyFingerprint is OpenSSH's SHA256 fingerprint of the key line (comment ignored)", () => {
        assert.strictEqual(hostKeyFingerprint(ED25519_PUBLIC), ED25519_FINGERPRINT);
        assert.strictEqual(hostKeyFingerprint(`${ECDSA_PUBLIC} root@host`), ECDSA_FINGERPRINT);
        // No blob: the digest of nothing (SHA-256 of the empty string, unpadded base64).
        assert.strictEqual(hostKeyFingerprint("ssh-ed25519"), "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU");
    });

    it("scanHostKey reads the key the host presents, preferring Ed25519 to ECDSA", async () => {
        const server = await sshServer([ECDSA_PRIVATE, ED25519_PRIVATE]);
        const ecdsaOnly = await sshServer([ECDSA_PRIVATE]);
        try {
            assert.strictEqual(await scanHostKey("127.0.0.1", server.port, 5), ED25519_PUBLIC);
            assert.strictEqual(await scanHostKey("127.0.0.1", ecdsaOnly.port, 5), ECDSA_PUBLIC);
        } finally {
            await server.close();
            await ecdsaOnly.close();
        }
    });

    it("scanHostKey gives up after its timeout on a host that never speaks SSH", async () => {
        const silent = net.createServer(() => undefined);
        await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
        const sockets: net.Socket[] = [];
        silent.on("connection", (s) => sockets.push(s));
        try {
            await assert.rejects(scanHostKey("127.0.0.1", (silent.address() as net.AddressInfo).port, 1), /Timed out while waiting for handshake/);
        } finally {
            sockets.forEach((s) => s.destroy());
            await new Promise((resolve) => silent.close(resolve));
        }
    });

    it("scanHostKey rejects when the connection closes before any key", async () => {
        const closing = net.createServer((s) => s.destroy());
        await new Promise<void>((resolve) => closing.listen(0, "127.0.0.1", resolve));
        try {
            await assert.rejects(scanHostKey("127.0.0.1", (closing.address() as net.AddressInfo).port, 5));
        } finally {
            await new Promise((resolve) => closing.close(resolve));
        }
    });

    it("create records the presented key under the id host:port, with the inputs", async () => {
        const server = await sshServer([ED25519_PRIVATE]);
        try {
            assert.deepStrictEqual(await hostKeyPinProvider.create(pinArgs(server.port)), {
                id: `127.0.0.1:${server.port}`,
                outs: { label: "master-1", host: "127.0.0.1", port: server.port, dialErrorLimit: 2, perDialTimeout: 5, hostKey: ED25519_PUBLIC },
            });
        } finally {
            await server.close();
        }
    });

    it("create fails after sshDialErrorLimit dials of an unreachable host, naming it and the attempts", async () => {
        const port = await closedPort();
        await assert.rejects(hostKeyPinProvider.create(pinArgs(port, { label: "media-10-5-1-1", dialErrorLimit: 3 })), {
            message: `media-10-5-1-1 (127.0.0.1:${port}): could not read the SSH host key after 3 attempt(s): connect ECONNREFUSED 127.0.0.1:${port}`,
        });
        await assert.rejects(hostKeyPinProvider.create(pinArgs(port, { dialErrorLimit: 1 })), {
            message: `master-1 (127.0.0.1:${port}): could not read the SSH host key after 1 attempt(s): connect ECONNREFUSED 127.0.0.1:${port}`,
        });
    });

    it("create waits for a host that comes up between dials", async () => {
        const port = await closedPort();
        let server: TestServer | undefined;
        const late = new Promise<void>((resolve) =>
            setTimeout(() => {
                void sshServer([ED25519_PRIVATE], port).then((s) => {
                    server = s;
                    resolve();
                });
            }, 150),
        );
        try {
            const { outs } = await hostKeyPinProvider.create(pinArgs(port, { dialErrorLimit: 20 }));
            assert.strictEqual(outs.hostKey, ED25519_PUBLIC);
        } finally {
            await late;
            await server?.close();
        }
    });

    it("diff: the same key changes nothing; a new label or new dial bounds are an update, not a new pin", async () => {
        const server = await sshServer([ED25519_PRIVATE]);
        const olds: HostKeyPinState = { ...pinArgs(server.port), hostKey: ED25519_PUBLIC };
        try {
            assert.deepStrictEqual(await hostKeyPinProvider.diff("id", olds, pinArgs(server.port)), { changes: false });
            assert.deepStrictEqual(await hostKeyPinProvider.diff("id", olds, pinArgs(server.port, { label: "master-2" })), { changes: true });
            assert.deepStrictEqual(await hostKeyPinProvider.diff("id", olds, pinArgs(server.port, { dialErrorLimit: 3 })), { changes: true });
            assert.deepStrictEqual(await hostKeyPinProvider.diff("id", olds, pinArgs(server.port, { perDialTimeout: 6 })), { changes: true });
            assert.deepStrictEqual(await hostKeyPinProvider.read("id", olds), { id: "id", props: olds });
        } finally {
            await server.close();
        }
    });

    it("diff and read stop the run on a changed key, naming the host and both fingerprints", async () => {
        const server = await sshServer([ECDSA_PRIVATE]);
        const olds: HostKeyPinState = { ...pinArgs(server.port, { label: "media-10-5-1-2" }), hostKey: `${ED25519_PUBLIC} comment` };
        const message =
            `media-10-5-1-2 (127.0.0.1:${server.port}): the SSH host key changed: recorded ${ED25519_FINGERPRINT}, presented now ${ECDSA_FINGERPRINT}. ` +
            "Nothing was sent to the host. If the host was rebuilt or its key rotated on purpose, check the new key on the host " +
            "(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and set it as this node's hostKey; otherwise another machine may be answering at 127.0.0.1.";
        try {
            await assert.rejects(hostKeyPinProvider.diff("id", olds, pinArgs(server.port, { label: "media-10-5-1-2" })), { message });
            await assert.rejects(hostKeyPinProvider.read("id", olds), { message });
        } finally {
            await server.close();
        }
    });

    it("the key blob is compared, not its type name or comment", async () => {
        const server = await sshServer([ED25519_PRIVATE]);
        const olds: HostKeyPinState = { ...pinArgs(server.port), hostKey: `ssh-ed25519 ${ED25519_PUBLIC.split(" ")[1]} recorded-by-hand` };
        try {
            assert.deepStrictEqual(await hostKeyPinProvider.diff("id", olds, pinArgs(server.port)), { changes: false });
        } finally {
            await server.close();
        }
    });

    it("an unreachable host passes the comparison (its commands verify the recorded key when they run)", async () => {
        const port = await closedPort();
        const olds: HostKeyPinState = { ...pinArgs(port), hostKey: ED25519_PUBLIC };
        assert.deepStrictEqual(await hostKeyPinProvider.diff("id", olds, pinArgs(port)), { changes: false });
        assert.deepStrictEqual(await hostKeyPinProvider.read("id", olds), { id: "id", props: olds });
    });

    it("a new address is a new host: pinned afresh, without dialing", async () => {
        const olds: HostKeyPinState = { ...pinArgs(1), hostKey: ED25519_PUBLIC };
        assert.deepStrictEqual(await hostKeyPinProvider.diff("id", olds, pinArgs(1, { host: "127.0.0.2" })), { changes: true, replaces: ["host"] });
        assert.deepStrictEqual(await hostKeyPinProvider.diff("id", olds, pinArgs(2)), { changes: true, replaces: ["port"] });
        assert.deepStrictEqual(await hostKeyPinProvider.diff("id", olds, pinArgs(2, { host: "127.0.0.2", label: "x" })), {
            changes: true,
            replaces: ["host", "port"],
        });
    });

    it("update keeps the recorded key with the new inputs, and nothing else", async () => {
        const olds: HostKeyPinState = { ...pinArgs(22), hostKey: ED25519_PUBLIC };
        const news = { ...pinArgs(22, { label: "master-2", dialErrorLimit: 4, perDialTimeout: 9 }), hostKey: "ignored", extra: 1 } as HostKeyPinArgs;
        assert.deepStrictEqual(await hostKeyPinProvider.update("id", olds, news), {
            outs: { label: "master-2", host: "127.0.0.1", port: 22, dialErrorLimit: 4, perDialTimeout: 9, hostKey: ED25519_PUBLIC },
        });
    });

    it("a changed key of the same type is caught too (the blobs differ)", async () => {
        const server = await sshServer([OTHER_ED25519_PRIVATE]);
        const olds: HostKeyPinState = { ...pinArgs(server.port), hostKey: ED25519_PUBLIC };
        try {
            await assert.rejects(hostKeyPinProvider.diff("id", olds, pinArgs(server.port)), (e: Error) =>
                e.message.startsWith(
                    `master-1 (127.0.0.1:${server.port}): the SSH host key changed: recorded ${ED25519_FINGERPRINT}, presented now ${OTHER_ED25519_FINGERPRINT}. `,
                ),
            );
        } finally {
            await server.close();
        }
    });

    it("a host that signs only with SHA-1 ssh-rsa (refused by OpenSSH 8.8+) is not pinned; the failure keeps its cause", async () => {
        const server = await sshServer([RSA_PRIVATE], 0, ["ssh-rsa"]);
        try {
            await assert.rejects(hostKeyPinProvider.create(pinArgs(server.port, { dialErrorLimit: 1 })), (e: Error) => {
                assert.match(e.message, new RegExp(`^master-1 \\(127\\.0\\.0\\.1:${server.port}\\): could not read the SSH host key after 1 attempt\\(s\\): `));
                assert.ok(e.cause instanceof Error, "the scan's error is kept as the cause");
                assert.ok(e.message.endsWith(`: ${e.cause.message}`));
                return true;
            });
        } finally {
            await server.close();
        }
    });
});
