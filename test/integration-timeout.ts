// Integration tests wait on real services; a stuck one should still fail, after 30 s rather than 5.
jest.setTimeout(30_000);
