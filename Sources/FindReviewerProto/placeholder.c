// placeholder until `make protos` fills this target
