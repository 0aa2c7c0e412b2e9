-- A snapshot for pretraining a text-to-image base holds alt-text only: it has no captioner.
ALTER TABLE snapshots ALTER COLUMN captioner DROP NOT NULL;
