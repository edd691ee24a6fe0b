-- The secret iCal addresses moved to the host (`module_feeds`), shared by every module.
DROP TABLE edt_feeds;
