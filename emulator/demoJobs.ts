import type { JobSpec } from "./jobs";

/** Jobs seeded by `npm run emulator` and the demo: one per interesting case. */
export const DEMO_JOBS: readonly JobSpec[] = [
    { id: "140b5236-88ad-43c8-811c-1268453jb101", name: "orders-replication", dbUseType: "migration" },
    { id: "14d88eeb-ee7e-4d30-a46e-a5ec8eajb101", name: "customers-sync", dbUseType: "sync", status: "INCRE_TRANSFER_STARTED" },
    { id: "d54691d2-f105-434d-a75d-809b017jb101", name: "audit-dr", dbUseType: "cloudDataGuard" },
    {
        id: "24834eb6-be30-464e-a299-f7aa730jb101",
        name: "legacy-migration",
        dbUseType: "migration",
        failAt: { phase: "FULL_TRANSFER_STARTED", errorCode: "DRS.M03001", errorMessage: "Unable to connect to the source database." },
    },
];
