CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"key_hash" text NOT NULL,
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
	CONSTRAINT "connectors_station_id_evse_id_connector_id_pk" PRIMARY KEY("station_id","evse_id","connector_id")
);
--> statement-breakpoint
CREATE TABLE "evses" (
	"station_id" text NOT NULL,
	"evse_id" integer NOT NULL,
	"availability" text,
	CONSTRAINT "evses_station_id_evse_id_pk" PRIMARY KEY("station_id","evse_id")
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
	"items_per_message_get_variables" integer,
	"items_per_message_set_variables" integer,
	"bytes_per_message_get_variables" integer,
	"bytes_per_message_set_variables" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
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
ALTER TABLE "reports" ADD CONSTRAINT "reports_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_events" ADD CONSTRAINT "station_events_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "variable_attributes" ADD CONSTRAINT "variable_attributes_variable_id_variables_id_fk" FOREIGN KEY ("variable_id") REFERENCES "public"."variables"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "variables" ADD CONSTRAINT "variables_component_id_components_id_fk" FOREIGN KEY ("component_id") REFERENCES "public"."components"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "boot_notifications_station_idx" ON "boot_notifications" USING btree ("station_id","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_station_request_idx" ON "reports" USING btree ("station_id","request_id");--> statement-breakpoint
CREATE INDEX "station_events_station_idx" ON "station_events" USING btree ("station_id","timestamp");--> statement-breakpoint
CREATE UNIQUE INDEX "stations_id_lower_idx" ON "stations" USING btree (lower("id"));