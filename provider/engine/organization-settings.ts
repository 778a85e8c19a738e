import type {Http} from "../api/http";
import {type OrganizationSettings, Organizations} from "../api/organizations";

/**
 * Reads an organization's settings once per organization and API address for the life of the provider process, so
 * that every resource naming it shares one request. Unreadable settings (a failed read, or a 404: no such
 * organization, or no access) count as none: the check they feed then passes, and `up` meets the API's own answer.
 */
export class OrganizationSettingsReader {
	private readonly cache = new Map<string, Promise<OrganizationSettings | undefined>>();

	read(organization: string, http: Http, address: string): Promise<OrganizationSettings | undefined> {
		const key = `${address} ${organization}`;
		let settings = this.cache.get(key);
		if (!settings) {
			settings = new Organizations(http).read(organization).catch(() => undefined);
			this.cache.set(key, settings);
		}
		return settings;
	}
}
