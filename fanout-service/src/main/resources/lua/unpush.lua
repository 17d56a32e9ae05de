-- Undoes a fallback whose push requests could not be written to Kafka, so the next attempt picks them again.
-- KEYS: 1 inbox meta
-- ARGV: 1 pushCursor to restore, 2 lastNudgeAt to restore (no nudge was sent), 3 status key prefix, 4.. message ids
redis.call('HSET', KEYS[1], 'pushCursor', ARGV[1], 'lastNudgeAt', ARGV[2])
for i = 4, #ARGV do
  redis.call('HDEL', ARGV[3] .. ARGV[i], 'pushRequestedAt')
end
return 1
