CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"key_hash" text NOT NULL,
	"id_tokens" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "boot_notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"reason" text NOT NULL,
	"model" text NOT NULL,
	"vendor_name" text NOT NULL,
	"serial_number" text,
	"firmware_version" text,
	"iccid" text,
	"imsi" text,
	"status" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "components" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"name" text NOT NULL,
	"instance" text,
	"evse_id" integer,
	"connector_id" integer,
	CONSTRAINT "components_identity" UNIQUE NULLS NOT DISTINCT("station_id","name","instance","evse_id","connector_id")
);
--> statement-breakpoint
CREATE TABLE "connectors" (
	"station_id" text NOT NULL,
	"evse_id" integer NOT NULL,
	"connector_id" integer NOT NULL,
	"status" text,
	"status_at" timestamp with time zone,
	"availability" text,
	"scheduled_availability" text,
	CONSTRAINT "connectors_station_id_evse_id_connector_id_pk" PRIMARY KEY("station_id","evse_id","connector_id")
);
--> statement-breakpoint
CREATE TABLE "evses" (
	"station_id" text NOT NULL,
	"evse_id" integer NOT NULL,
	"availability" text,
	"scheduled_availability" text,
	CONSTRAINT "evses_station_id_evse_id_pk" PRIMARY KEY("station_id","evse_id")
);
--> statement-breakpoint
CREATE TABLE "id_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"id_token" text NOT NULL,
	"type" text NOT NULL,
	"additional_info" jsonb,
	"status" text NOT NULL,
	"cache_expiry_date_time" timestamp with time zone,
	"charging_priority" integer,
	"language1" text,
	"language2" text,
	"evse_ids" jsonb,
	"group_id_token" text,
	"group_id_token_type" text,
	"personal_message" jsonb,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "remote_starts" (
	"station_id" text NOT NULL,
	"remote_start_id" integer NOT NULL,
	"evse_id" integer,
	"id_token" text NOT NULL,
	"id_token_type" text NOT NULL,
	"status" text NOT NULL,
	"transaction_id" text,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "remote_starts_station_id_remote_start_id_pk" PRIMARY KEY("station_id","remote_start_id")
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"request_id" integer NOT NULL,
	"kind" text NOT NULL,
	"report_base" text,
	"criteria" jsonb,
	"status" text NOT NULL,
	"parts_received" integer DEFAULT 0 NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sampled_values" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"evse_id" integer NOT NULL,
	"transaction_id" text,
	"transaction_event_id" bigint,
	"timestamp" timestamp with time zone NOT NULL,
	"value" double precision NOT NULL,
	"measurand" text DEFAULT 'Energy.Active.Import.Register' NOT NULL,
	"phase" text,
	"location" text DEFAULT 'Outlet' NOT NULL,
	"context" text DEFAULT 'Sample.Periodic' NOT NULL,
	"unit" text,
	"multiplier" integer,
	"signed_meter_value" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "station_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"event_id" integer NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	"trigger" text NOT NULL,
	"cause" integer,
	"actual_value" text NOT NULL,
	"tech_code" text,
	"tech_info" text,
	"cleared" boolean,
	"transaction_id" text,
	"variable_monitoring_id" integer,
	"event_notification_type" text NOT NULL,
	"component_name" text NOT NULL,
	"component_instance" text,
	"evse_id" integer,
	"connector_id" integer,
	"variable_name" text NOT NULL,
	"variable_instance" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stations" (
	"id" text PRIMARY KEY NOT NULL,
	"password_hash" text,
	"security_profile" integer DEFAULT 1 NOT NULL,
	"boot_policy" text DEFAULT 'Accepted' NOT NULL,
	"serial_number" text,
	"registration_status" text,
	"model" text,
	"vendor_name" text,
	"firmware_version" text,
	"iccid" text,
	"imsi" text,
	"last_boot_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone,
	"availability" text,
	"scheduled_availability" text,
	"items_per_message_get_variables" integer,
	"items_per_message_set_variables" integer,
	"bytes_per_message_get_variables" integer,
	"bytes_per_message_set_variables" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transaction_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"transaction_id" text NOT NULL,
	"seq_no" integer NOT NULL,
	"event_type" text NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	"trigger_reason" text NOT NULL,
	"offline" boolean DEFAULT false NOT NULL,
	"charging_state" text,
	"stopped_reason" text,
	"evse_id" integer,
	"connector_id" integer,
	"id_token" text,
	"id_token_type" text,
	"number_of_phases_used" integer,
	"cable_max_current" integer,
	"reservation_id" integer,
	"remote_start_id" integer,
	"time_spent_charging" integer,
	"authorization_status" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transactions" (
	"station_id" text NOT NULL,
	"transaction_id" text NOT NULL,
	"evse_id" integer,
	"connector_id" integer,
	"active" boolean DEFAULT true NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"id_token" text,
	"id_token_type" text,
	"group_id_token" text,
	"stop_id_token" text,
	"stop_id_token_type" text,
	"charging_state" text,
	"trigger_reason" text,
	"stopped_reason" text,
	"ended_by" text,
	"meter_start_wh" double precision,
	"meter_stop_wh" double precision,
	"energy_wh" double precision,
	"remote_start_id" integer,
	"reservation_id" integer,
	"number_of_phases_used" integer,
	"cable_max_current" integer,
	"last_seq_no" integer,
	"event_count" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transactions_station_id_transaction_id_pk" PRIMARY KEY("station_id","transaction_id")
);
--> statement-breakpoint
CREATE TABLE "variable_attributes" (
	"variable_id" integer NOT NULL,
	"type" text NOT NULL,
	"value" text,
	"mutability" text,
	"persistent" boolean,
	"constant" boolean,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "variable_attributes_variable_id_type_pk" PRIMARY KEY("variable_id","type")
);
--> statement-breakpoint
CREATE TABLE "variables" (
	"id" serial PRIMARY KEY NOT NULL,
	"component_id" integer NOT NULL,
	"name" text NOT NULL,
	"instance" text,
	"unit" text,
	"data_type" text,
	"min_limit" text,
	"max_limit" text,
	"values_list" text,
	"supports_monitoring" boolean,
	CONSTRAINT "variables_identity" UNIQUE NULLS NOT DISTINCT("component_id","name","instance")
);
--> statement-breakpoint
ALTER TABLE "boot_notifications" ADD CONSTRAINT "boot_notifications_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "components" ADD CONSTRAINT "components_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connectors" ADD CONSTRAINT "connectors_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evses" ADD CONSTRAINT "evses_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remote_starts" ADD CONSTRAINT "remote_starts_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sampled_values" ADD CONSTRAINT "sampled_values_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_events" ADD CONSTRAINT "station_events_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transaction_events" ADD CONSTRAINT "transaction_events_transaction_fk" FOREIGN KEY ("station_id","transaction_id") REFERENCES "public"."transactions"("station_id","transaction_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "variable_attributes" ADD CONSTRAINT "variable_attributes_variable_id_variables_id_fk" FOREIGN KEY ("variable_id") REFERENCES "public"."variables"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "variables" ADD CONSTRAINT "variables_component_id_components_id_fk" FOREIGN KEY ("component_id") REFERENCES "public"."components"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "boot_notifications_station_idx" ON "boot_notifications" USING btree ("station_id","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "id_tokens_identity_idx" ON "id_tokens" USING btree (lower("id_token"),"type");--> statement-breakpoint
CREATE INDEX "id_tokens_group_idx" ON "id_tokens" USING btree ("group_id_token");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_station_request_idx" ON "reports" USING btree ("station_id","request_id");--> statement-breakpoint
CREATE INDEX "sampled_values_transaction_idx" ON "sampled_values" USING btree ("station_id","transaction_id","timestamp");--> statement-breakpoint
CREATE INDEX "sampled_values_evse_idx" ON "sampled_values" USING btree ("station_id","evse_id","timestamp");--> statement-breakpoint
CREATE INDEX "station_events_station_idx" ON "station_events" USING btree ("station_id","timestamp");--> statement-breakpoint
CREATE UNIQUE INDEX "stations_id_lower_idx" ON "stations" USING btree (lower("id"));--> statement-breakpoint
CREATE UNIQUE INDEX "transaction_events_seq_idx" ON "transaction_events" USING btree ("station_id","transaction_id","seq_no");--> statement-breakpoint
CREATE INDEX "transactions_active_idx" ON "transactions" USING btree ("station_id","evse_id") WHERE "transactions"."active";--> statement-breakpoint
CREATE INDEX "transactions_started_idx" ON "transactions" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "transactions_id_token_idx" ON "transactions" USING btree (lower("id_token"));