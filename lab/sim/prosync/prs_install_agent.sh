# Lab stand-in for ProSync's $PRS_HOME/install/prs_install_agent.sh. The seed runs it sourced
# (`cd $PRS_HOME/install; . prs_install_agent.sh`), so it must not `exit`; the work is done by the
# simulator behind prs_adm, which reads $PRS_HOME/install/prs_install_agent.cfg.
prs_adm --lab-install-agent
