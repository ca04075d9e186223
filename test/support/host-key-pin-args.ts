/** HostKeyPin's arguments for a test SSH server on loopback: the one builder of both host key pin test files. */
import { HostKeyPinArgs } from "../../components/onprem/host-key-pin";

/** master-1 on 127.0.0.1:`port`, 2 dials of 5 s; `over` replaces any of them. */
export const pinArgs = (port: number, over: Partial<HostKeyPinArgs> = {}): HostKeyPinArgs => ({
    label: "master-1",
    host: "127.0.0.1",
    port,
    dialErrorLimit: 2,
    perDialTimeout: 5,
    ...over,
});
