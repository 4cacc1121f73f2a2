-- Which dial route placed a trigger's call (OUTBOUND_PROVIDER when it was dialed: vapi, retell, elevenlabs, bland, http
-- or a dial route file's name). A trigger's id and dynamic_variables go only to the call of that provider (the webhook
-- provider of the same name) with the platform's call id, never to another provider's call that has the same id.
-- NULL: dialed before this column existed; 'http' (your own dial service): no platform is known; both match any provider.
ALTER TABLE bridge_outbound_trigger ADD COLUMN dial_provider VARCHAR(64);
