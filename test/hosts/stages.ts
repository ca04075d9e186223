// Named states of a cluster on test hosts, each reached once by a setup (a first up, a failed upgrade, ...) and
// saved (the hosts' disks, host-snapshot.ts, with the state of a model, when there is one: the engine model's, or the
// fake AWS's; and the hosts' data volumes, when they have some), then put back for
// every test that starts from it: a test runs alone (`--grep`) or after any other and sees the same hosts and the
// same "previous up". A stage's setup starts from an earlier stage (`from`), so the chain is reached only as far as
// the test needs, once per file.
import { TestHost } from "./harness";
import { ClusterSnapshot } from "./host-snapshot";

/** The state outside the hosts that a stage saves with them (the engine model's, test/hosts/day2.ts Stack; the fake AWS's, aws/aws-lab.ts). */
export interface Restorable<S> {
    save(): S;
    restore(saved: S): void;
}

export interface Stage<T> {
    readonly name: string;
    /** Reaches the stage from the hosts as they are (calls `from` for the stage it starts from). */
    readonly reach: () => Promise<T>;
}

interface Saved {
    snapshot: ClusterSnapshot;
    model: unknown;
    value: unknown;
}

export class Stages {
    private readonly saved = new Map<Stage<unknown>, Saved>();
    /** The stage the hosts and the model are at, and the hosts changed since (all: unknown changes). */
    private at?: { stage: Stage<unknown>; changed: TestHost[] };
    private count = 0;

    /** `volumeOf`: a host's data volume (a block device), saved and put back with its disk (AWS masters). */
    constructor(
        private readonly hosts: () => TestHost[],
        private readonly model?: Restorable<unknown>,
        private readonly volumeOf?: (host: TestHost) => string | undefined,
    ) {}

    define<T>(name: string, reach: () => Promise<T>): Stage<T> {
        return { name, reach };
    }

    /**
     * Puts the hosts and the model at `stage` (reaching and saving it the first time) for a test that only reads
     * them afterwards: the next test starting from this stage puts nothing back. Resolves to the stage's value.
     */
    async reach<T>(stage: Stage<T>): Promise<T> {
        return this.enter(stage, []);
    }

    /**
     * Puts the hosts and the model at `stage` for a test (or a later stage's setup) that changes them: `changes`,
     * the hosts it may change (all by default), are put back before the next test that starts from this stage.
     */
    async from<T>(stage: Stage<T>, changes?: TestHost[]): Promise<T> {
        return this.enter(stage, changes ?? this.hosts());
    }

    /** For afterEach: a failed test may have changed anything. */
    forget(): void {
        this.at = undefined;
    }

    private async enter<T>(stage: Stage<T>, changes: TestHost[]): Promise<T> {
        let saved = this.saved.get(stage);
        if (saved) {
            const changed = this.at?.stage === stage ? this.at.changed : this.hosts();
            this.at = undefined;
            await saved.snapshot.restoreHosts(changed);
            this.model?.restore(saved.model);
        } else {
            this.at = undefined;
            const value = await stage.reach();
            this.at = undefined;
            const snapshot = await ClusterSnapshot.take(this.hosts(), `stage${++this.count}-${stage.name}`, this.volumeOf);
            saved = { snapshot, model: this.model?.save(), value };
            this.saved.set(stage, saved);
        }
        this.at = { stage, changed: changes };
        return saved.value as T;
    }
}
