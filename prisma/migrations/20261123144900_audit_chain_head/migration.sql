-- Takes the audit chain's lock and reads the newest hash in one round trip. Hand-written (functions are
-- outside what schema.prisma describes). In a VOLATILE plpgsql function each statement takes a fresh
-- snapshot, so the SELECT sees every append committed before the lock was granted: the chain cannot fork.
CREATE FUNCTION audit_chain_head(lock_key bigint) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  head text;
BEGIN
  PERFORM pg_advisory_xact_lock(lock_key);
  SELECT hash INTO head FROM "audit_event" ORDER BY id DESC LIMIT 1;
  RETURN head;
END;
$$;
