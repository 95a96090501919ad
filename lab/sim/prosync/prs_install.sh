# Lab stand-in for ProSync's $PRS_HOME/install/prs_install.sh (sourced, like prs_install_agent.sh);
# reads $PRS_HOME/install/prs_install.cfg and records the instance in the simulated estate.
prs_adm --lab-install
