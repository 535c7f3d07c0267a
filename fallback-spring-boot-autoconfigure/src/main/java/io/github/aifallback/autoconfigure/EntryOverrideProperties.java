package io.github.aifallback.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An override of a chain entry by name: its settings, and its deployments.
 *
 * @since 0.1.0
 */
public class EntryOverrideProperties extends EntrySettingsProperties {

	/**
	 * Changes to the chain entry's deployments, by index: what deployments[j] sets here
	 * wins over what the chain entry's deployments[j] sets (a key rotated at deploy time:
	 * AI_FALLBACK_ENTRIES_PRIMARY_DEPLOYMENTS_0_APIKEY). Adds no deployment.
	 */
	private Map<Integer, DeploymentProperties> deployments = new LinkedHashMap<>();

	public Map<Integer, DeploymentProperties> getDeployments() {
		return this.deployments;
	}

	public void setDeployments(Map<Integer, DeploymentProperties> deployments) {
		this.deployments = deployments;
	}

}
