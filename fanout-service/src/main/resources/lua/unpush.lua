-- Undoes a fallback whose push requests could not be written to Kafka, so the next attempt picks them again.
-- KEYS: 1 inbox meta
-- ARGV: 1 pushCursor to restore, 2 status key prefix, 3.. message ids
redis.call('HSET', KEYS[1], 'pushCursor', ARGV[1])
for i = 3, #ARGV do
  redis.call('HDEL', ARGV[2] .. ARGV[i], 'pushRequestedAt')
end
return 1
