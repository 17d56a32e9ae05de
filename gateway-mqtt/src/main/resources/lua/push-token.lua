-- Stores the APNs token a device reported, only if the device still exists: checking and writing in one step, so a
-- report racing a DELETE can never recreate a partial device record.
-- KEYS: 1 device record. ARGV: 1 token, 2 environment, 3 now ms. Returns 1 stored, 0 no such device (nothing written).
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], 'pushToken', ARGV[1], 'pushEnvironment', ARGV[2], 'pushTokenUpdatedAt', ARGV[3], 'updatedAt', ARGV[3])
return 1
