CREATE TABLE "certificate_signing_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"certificate_type" text NOT NULL,
	"csr" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"issued_serial_number" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_information_parts" (
	"request_row_id" integer NOT NULL,
	"seq_no" integer NOT NULL,
	"data" text NOT NULL,
	"tbc" boolean NOT NULL,
	"generated_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_information_parts_request_row_id_seq_no_pk" PRIMARY KEY("request_row_id","seq_no")
);
--> statement-breakpoint
CREATE TABLE "customer_information_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"request_id" integer NOT NULL,
	"report" boolean NOT NULL,
	"clear" boolean NOT NULL,
	"customer_identifier" text,
	"id_token" text,
	"id_token_type" text,
	"customer_certificate" jsonb,
	"clear_csms_data" boolean DEFAULT false NOT NULL,
	"csms_data_cleared" jsonb,
	"status" text NOT NULL,
	"status_info" jsonb,
	"last_seq_no" integer,
	"parts_received" integer DEFAULT 0 NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "firmware_publications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"request_id" integer NOT NULL,
	"location" text NOT NULL,
	"checksum" text NOT NULL,
	"file_id" text,
	"retries" integer,
	"retry_interval" integer,
	"response_status" text,
	"status" text,
	"published_locations" jsonb,
	"unpublished_at" timestamp with time zone,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "firmware_updates" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"request_id" integer NOT NULL,
	"location" text NOT NULL,
	"file_id" text,
	"retrieve_date_time" timestamp with time zone NOT NULL,
	"install_date_time" timestamp with time zone,
	"signing_certificate" text,
	"signature" text,
	"retries" integer,
	"retry_interval" integer,
	"response_status" text,
	"status" text,
	"canceled_by_request_id" integer,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "installed_certificates" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"certificate_type" text NOT NULL,
	"hash_algorithm" text NOT NULL,
	"issuer_name_hash" text NOT NULL,
	"issuer_key_hash" text NOT NULL,
	"serial_number" text NOT NULL,
	"child_certificate_hash_data" jsonb,
	"pem" text,
	"subject" text,
	"not_after" timestamp with time zone,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "issued_certificates" (
	"serial_number" text PRIMARY KEY NOT NULL,
	"station_id" text,
	"certificate_type" text NOT NULL,
	"subject" text NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"pem" text NOT NULL,
	"delivery_status" text NOT NULL,
	"delivery_status_info" jsonb,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"superseded_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"renewal_requested_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "log_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"request_id" integer NOT NULL,
	"log_type" text NOT NULL,
	"remote_location" text,
	"upload_token_hash" text,
	"upload_expires_at" timestamp with time zone,
	"oldest_timestamp" timestamp with time zone,
	"latest_timestamp" timestamp with time zone,
	"retries" integer,
	"retry_interval" integer,
	"response_status" text,
	"filename" text,
	"status" text,
	"canceled_by_request_id" integer,
	"file_id" text,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_status_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"kind" text NOT NULL,
	"request_id" integer,
	"status" text NOT NULL,
	"locations" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "security_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"type" text NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	"tech_info" text,
	"critical" boolean NOT NULL,
	"source" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "security_profile_upgrades" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"from_profile" integer NOT NULL,
	"target_profile" integer NOT NULL,
	"configuration_slot" integer,
	"status" text NOT NULL,
	"steps" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "stored_files" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"md5" text NOT NULL,
	"download_token" text,
	"station_id" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "variable_monitors" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"variable_id" integer NOT NULL,
	"monitor_id" integer NOT NULL,
	"transaction" boolean DEFAULT false NOT NULL,
	"value" double precision NOT NULL,
	"type" text NOT NULL,
	"severity" integer NOT NULL,
	"source" text NOT NULL,
	"report_request_id" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "pending_security_profile" integer;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "pending_password_hashes" jsonb;--> statement-breakpoint
ALTER TABLE "certificate_signing_requests" ADD CONSTRAINT "certificate_signing_requests_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_information_parts" ADD CONSTRAINT "customer_information_parts_request_row_id_customer_information_requests_id_fk" FOREIGN KEY ("request_row_id") REFERENCES "public"."customer_information_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_information_requests" ADD CONSTRAINT "customer_information_requests_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "firmware_publications" ADD CONSTRAINT "firmware_publications_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "firmware_updates" ADD CONSTRAINT "firmware_updates_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "installed_certificates" ADD CONSTRAINT "installed_certificates_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issued_certificates" ADD CONSTRAINT "issued_certificates_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "log_requests" ADD CONSTRAINT "log_requests_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_status_events" ADD CONSTRAINT "request_status_events_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "security_events" ADD CONSTRAINT "security_events_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "security_profile_upgrades" ADD CONSTRAINT "security_profile_upgrades_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_files" ADD CONSTRAINT "stored_files_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "variable_monitors" ADD CONSTRAINT "variable_monitors_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "variable_monitors" ADD CONSTRAINT "variable_monitors_variable_id_variables_id_fk" FOREIGN KEY ("variable_id") REFERENCES "public"."variables"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "certificate_signing_requests_station_idx" ON "certificate_signing_requests" USING btree ("station_id","certificate_type","id");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_information_station_request_idx" ON "customer_information_requests" USING btree ("station_id","request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "firmware_publications_request_idx" ON "firmware_publications" USING btree ("station_id","request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "firmware_updates_request_idx" ON "firmware_updates" USING btree ("station_id","request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "installed_certificates_identity_idx" ON "installed_certificates" USING btree ("station_id","hash_algorithm","issuer_name_hash","issuer_key_hash","serial_number");--> statement-breakpoint
CREATE INDEX "issued_certificates_station_idx" ON "issued_certificates" USING btree ("station_id","certificate_type");--> statement-breakpoint
CREATE INDEX "issued_certificates_not_after_idx" ON "issued_certificates" USING btree ("not_after");--> statement-breakpoint
CREATE UNIQUE INDEX "log_requests_request_idx" ON "log_requests" USING btree ("station_id","request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "log_requests_upload_token_idx" ON "log_requests" USING btree ("upload_token_hash");--> statement-breakpoint
CREATE INDEX "request_status_events_request_idx" ON "request_status_events" USING btree ("station_id","kind","request_id","id");--> statement-breakpoint
CREATE INDEX "security_events_station_idx" ON "security_events" USING btree ("station_id","id");--> statement-breakpoint
CREATE INDEX "security_profile_upgrades_station_idx" ON "security_profile_upgrades" USING btree ("station_id","requested_at");--> statement-breakpoint
CREATE INDEX "stored_files_kind_idx" ON "stored_files" USING btree ("kind","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "variable_monitors_station_monitor_idx" ON "variable_monitors" USING btree ("station_id","monitor_id");--> statement-breakpoint
CREATE INDEX "variable_monitors_variable_idx" ON "variable_monitors" USING btree ("variable_id");