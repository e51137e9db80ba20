// The bridge counters live in the domain module; this path stays for existing importers.
export { createCounters, countBadLine, countBadWsMessage, countByCode } from "../domain/counters";
