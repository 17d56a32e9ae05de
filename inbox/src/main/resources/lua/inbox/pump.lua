-- Moves the device's inbox along with nothing else changed: after a confirmed batch of pushes that filled the batch
-- limit, to look at the entries behind it. ARGV 1-8: routing arguments (lib.lua); 9 device id.
return pump(ARGV[9], routing_args())
