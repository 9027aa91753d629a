"""Reading a finished run's results: areas and subsets (`selectors`), small-cell suppression
(`suppression`), the area and comparison reports the pages and API show (`area_report`,
`comparison_report`), households' explanations (`explanations`, from `survey_rows`), target
lists (`target_lists`), links to the registry (`registry_links`), year over year
(`year_over_year`), and the names shown for areas and dimensions (`labels`)."""
