/** Where Pulse keeps its data unless DATABASE_URL says otherwise (created by `npm start` if missing). */
export const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/pulse";
